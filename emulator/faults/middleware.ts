/**
 * Express wiring of fault injection: a gate on each API route (so the operation, the name from
 * the path and the body already read are at hand), which asks the injector, then delays, fails
 * the request with the injected Status (the app writes it, as it writes every error), or marks
 * a watch to be cut. What the HTTP layer reads back goes through res.locals keys named in
 * shared-names.ts: faults and http do not import each other.
 */
import type { NextFunction, Request, Response } from 'express';
import { parse as parseYaml } from 'yaml';
import type { GateModule } from '../context.js';
import type { Operation } from '../openapi/document.js';
import { GO_TRUE } from '../machinery/options.js';
import { CUT_WATCH_AFTER_EVENTS, FIRED_FAULTS } from '../shared-names.js';
import type { FaultInjector } from './injector.js';

const VERB_OF_ACTION: Record<Operation['action'], string> = {
  post: 'create',
  get: 'get',
  list: 'list',
  put: 'update',
  patch: 'patch',
  delete: 'delete',
  deletecollection: 'deletecollection',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function labelsOfBody(body: unknown): { name?: string; labels?: Record<string, string> } {
  if (!Buffer.isBuffer(body) || !body.length) return {};
  try {
    const v = parseYaml(body.toString('utf8')) as { metadata?: { name?: unknown; labels?: unknown } } | null;
    const meta = v?.metadata;
    return {
      name: typeof meta?.name === 'string' ? meta.name : undefined,
      labels: meta?.labels && typeof meta.labels === 'object' ? (meta.labels as Record<string, string>) : {},
    };
  } catch {
    return {}; // the API answers the decode error itself
  }
}

/**
 * The gate for one operation: a single synchronous check while no rule is set (no promise, no
 * microtask on the hot path); the injector is asked only when rules are in force.
 */
export function faultGate(injector: FaultInjector): GateModule {
  return (ctx) => (op) => {
    const decideAndApply = async (req: Request, res: Response, next: NextFunction) => {
      const watch = op.action === 'list' && GO_TRUE.has(String(req.query.watch));
      const verb = watch ? 'watch' : VERB_OF_ACTION[op.action];
      try {
        const sent = op.action === 'post' ? labelsOfBody(req.body) : {};
        const name = (req.params.name as string | undefined) ?? sent.name;
        const decision = injector.decide({
          verb,
          operationId: op.operationId,
          gr: { group: op.gvk.group, resource: op.resource },
          name,
          labels: () => {
            const stored = name && op.action !== 'post' ? ctx.store.get(op.resource, name) : undefined;
            if (stored) return stored.metadata.labels ?? {};
            return op.action === 'post' ? sent.labels ?? {} : undefined;
          },
        });
        if (!decision) return next();
        res.locals[FIRED_FAULTS] = decision.fired;
        if (decision.latencyMs) await sleep(decision.latencyMs);
        if (decision.error) return next(decision.error);
        if (decision.cutWatchAfterEvents !== undefined) res.locals[CUT_WATCH_AFTER_EVENTS] = decision.cutWatchAfterEvents;
        next();
      } catch (e) {
        next(e);
      }
    };
    return (req: Request, res: Response, next: NextFunction) => {
      if (!injector.activeRules) return next();
      void decideAndApply(req, res, next);
    };
  };
}
