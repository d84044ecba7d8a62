/**
 * Express wiring of fault injection: finds which API operation a request is (once per request,
 * against matchers built at start-up from openapi.yaml), asks the injector, then delays, answers
 * with the injected Status, or marks a watch to be cut (read by http/watch.ts).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { parse as parseYaml } from 'yaml';
import type { EmulatorContext, MiddlewareModule } from '../context.js';
import type { Operation } from '../openapi/document.js';
import { MAX_BODY_BYTES } from '../http/app.js';
import { sendError } from '../http/respond.js';
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

interface OperationMatcher {
  op: Operation;
  pattern: RegExp;
}

function matchers(ctx: EmulatorContext): OperationMatcher[] {
  return ctx.doc.operations.map((op) => ({
    op,
    pattern: new RegExp('^' + op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)') + '/?$'),
  }));
}

/** A malformed escape is left as it is: the API route answers for it. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

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

export function faultMiddleware(ctx: EmulatorContext, injector: FaultInjector) {
  const ops = matchers(ctx);
  const readBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!injector.activeRules) return next();
    const method = req.method.toLowerCase();
    let found: { op: Operation; name?: string } | undefined;
    for (const m of ops) {
      if (m.op.method !== method) continue;
      const hit = m.pattern.exec(req.path);
      if (hit) {
        found = { op: m.op, name: hit.groups?.name ? safeDecode(hit.groups.name) : undefined };
        break;
      }
    }
    if (!found) return next();
    const { op } = found;
    const watch = op.action === 'list' && (req.query.watch === 'true' || req.query.watch === '1');
    const verb = watch ? 'watch' : VERB_OF_ACTION[op.action];
    try {
      let sent: ReturnType<typeof labelsOfBody> = {};
      if (op.action === 'post') {
        // Reading the body here leaves it parsed for the API route (body-parser skips a read body).
        await new Promise<void>((resolve, reject) => readBody(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
        sent = labelsOfBody(req.body);
      }
      const name = found.name ?? sent.name;
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

/** Fault injection in front of the API (a single check while no rule is set). */
export function faultInjection(injector: FaultInjector): MiddlewareModule {
  return (ctx) => faultMiddleware(ctx, injector);
}
