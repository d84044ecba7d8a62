/**
 * Express wiring of fault injection: a gate on each API route (so the operation, the name from
 * the path and the body already read are at hand), which asks the injector, then delays,
 * answers with the injected Status, or marks a watch to be cut (read by http/watch.ts).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseYaml } from 'yaml';
import type { EmulatorContext } from '../context.js';
import type { Operation } from '../openapi/document.js';
import { sendError } from '../http/respond.js';
import { GO_TRUE } from '../machinery/options.js';
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

/** `res.locals` keys other modules read. */
export const FIRED_FAULTS = 'firedFaults';
export const CUT_WATCH_AFTER_EVENTS = 'cutWatchAfterEvents';

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

/** The gate for one operation: a single check while no rule is set. */
export function faultGate(ctx: EmulatorContext, injector: FaultInjector): (op: Operation) => RequestHandler {
  return (op) => async (req: Request, res: Response, next: NextFunction) => {
    if (!injector.activeRules) return next();
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
      if (decision.error) return sendError(res, decision.error);
      if (decision.cutWatchAfterEvents !== undefined) res.locals[CUT_WATCH_AFTER_EVENTS] = decision.cutWatchAfterEvents;
      next();
    } catch (e) {
      sendError(res, e);
    }
  };
}
