/**
 * The admin API for test harnesses, under `/_emulator/` (outside `/apis`, so never mistaken for
 * the Apoxy API): reset, seed, snapshot export/import, the recent-request log, fault rules and
 * the clock. Bodies are JSON (seed also takes YAML); every rejection is a Kubernetes Status.
 * What the routes act on comes in as AdminControls, so this file knows the controls' shapes,
 * not the modules behind them (faults/, simulate/).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext, RouteModule } from '../context.js';
import { errors, StatusError } from '../machinery/status.js';
import { parseManifests, type SeedResult } from '../seed.js';
import { ADMIN_PREFIX, MAX_BODY_BYTES } from '../shared-names.js';
import type { ResetOptions } from '../options.js';
import type { StoreState } from '../store/types.js';
import { durationMs, parseRfc3339, type ClockState } from '../simulate/clock.js';
import type { RequestFilter, RequestLog } from './request-log.js';
import { sendError } from './respond.js';
import { mediaTypeOf } from './negotiation.js';

/** Fault rules as the admin API manages them; a bad rule set is thrown as a 400 Status. */
export interface FaultControls {
  report(): unknown;
  /** Replaces every rule with those in a JSON body (`{seed?, rules}`, an array, or one rule). */
  replace(config: unknown): void;
  /** Adds the rules of a JSON body after the existing ones. */
  add(config: unknown): void;
  clear(): void;
  /** Removes one rule by id; false when there is none. */
  remove(id: string): boolean;
}

/** The emulator's clock as the admin API moves it. */
export interface ClockControls {
  state(): ClockState;
  advance(ms: number): void;
  set(at: Date): void;
}

export interface AdminControls {
  /** Empties the store (the resourceVersion never goes backwards). */
  reset(options?: ResetOptions): Promise<void>;
  seed(manifests: unknown[]): Promise<SeedResult[]>;
  requests: RequestLog;
  faults: FaultControls;
  clock: ClockControls;
}

const bad = (message: string) => errors.badRequest(message);

function jsonBody(req: Request): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (!raw.trim()) throw bad('a JSON request body is required');
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw bad(`the request body is not JSON: ${(e as Error).message}`);
  }
}

/** A snapshot as GET exported it: `{resourceVersion, resources: {<plural>: {<name>: object}}}`. */
function checkSnapshot(value: unknown, ctx: EmulatorContext): StoreState {
  const v = value as Partial<StoreState> | null;
  if (!v || typeof v !== 'object' || !v.resources || typeof v.resources !== 'object' || Array.isArray(v.resources)) throw bad('a snapshot is an object {"resourceVersion": n, "resources": {"<plural>": {"<name>": object}}}');
  for (const [plural, objects] of Object.entries(v.resources)) {
    if (!ctx.registries.has(plural)) throw bad(`snapshot: resource ${JSON.stringify(plural)} is not served`);
    if (!objects || typeof objects !== 'object' || Array.isArray(objects)) throw bad(`snapshot: resources.${plural} must map names to objects`);
    for (const [name, obj] of Object.entries(objects)) {
      if (obj?.metadata?.name !== name) throw bad(`snapshot: resources.${plural}.${name}: metadata.name must be ${JSON.stringify(name)}`);
    }
  }
  return { resourceVersion: typeof v.resourceVersion === 'number' ? v.resourceVersion : 0, resources: v.resources };
}

function requestFilter(q: Record<string, unknown>): RequestFilter {
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  const limit = s('limit');
  if (limit !== undefined && !/^\d+$/.test(limit)) throw bad(`limit must be a non-negative integer, got ${JSON.stringify(limit)}`);
  const status = s('status');
  if (status !== undefined && !/^(\d{3}|\dxx)$/i.test(status)) throw bad(`status must be a code such as 404 or a class such as 4xx, got ${JSON.stringify(status)}`);
  const after = s('after');
  if (after !== undefined && !/^\d+$/.test(after)) throw bad(`after must be a request id (a non-negative integer), got ${JSON.stringify(after)}`);
  const yes = (k: string) => s(k) === 'true' || s(k) === '1';
  return { method: s('method'), path: s('path'), status, limit: limit === undefined ? undefined : Number(limit), includeAdmin: yes('all'), after: after === undefined ? undefined : Number(after), bodies: yes('bodies') };
}

/**
 * The body types the admin API documents: JSON, and YAML for seed. Anything else (above all
 * text/plain, forms and multipart, which a web page may send anywhere without asking) is a 415
 * before the body is read; a request with no Content-Type must have no body.
 */
const JSON_BODY = ['application/json'];
const BODY_TYPES: Record<string, readonly string[]> = { '/seed': ['application/json', 'application/yaml'] };

function documentedContentType(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const type = mediaTypeOf(req.headers['content-type']);
  const accepted = BODY_TYPES[req.path] ?? JSON_BODY;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (type === undefined ? !hasBody : accepted.includes(type)) return next();
  sendError(res, errors.unsupportedMediaType(accepted));
}

export function adminRoutes(controls: AdminControls): RouteModule {
  return (app, ctx) => {
    const router = express.Router();
    router.use(documentedContentType);
    router.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
    // Handlers may be async; a thrown Status (or anything else) is answered as a Status.
    const route = (fn: (req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
      try {
        const body = await fn(req, res);
        if (!res.headersSent) res.status(200).type('application/json').end(JSON.stringify(body) + '\n');
      } catch (e) {
        sendError(res, e);
      }
    };
    const rv = () => ({ resourceVersion: String(ctx.store.resourceVersion) });

    router.post('/reset', route(async (req) => {
      const restart = req.query.restartResourceVersion;
      if (restart !== undefined && restart !== 'true' && restart !== 'false') throw bad(`restartResourceVersion must be true or false, not ${JSON.stringify(restart)}`);
      await controls.reset({ restartResourceVersion: restart === 'true' });
      controls.requests.clear();
      return rv();
    }));

    router.post('/seed', route(async (req) => {
      const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      let manifests: unknown[];
      try {
        manifests = parseManifests(text);
      } catch (e) {
        throw bad(`the manifests could not be parsed: ${(e as Error).message}`);
      }
      const results = await controls.seed(manifests);
      const count = (o: SeedResult['outcome']) => results.filter((r) => r.outcome === o).length;
      return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: count('failed'), results, ...rv() };
    }));

    router.get('/snapshot', route(() => ctx.store.exportState()));
    router.put('/snapshot', route(async (req) => {
      const state = checkSnapshot(jsonBody(req), ctx);
      await ctx.store.replaceAll(state).durable;
      return rv();
    }));

    router.get('/requests', route((req) => ({ items: controls.requests.list(requestFilter(req.query as Record<string, unknown>)) })));
    router.delete('/requests', route(() => {
      controls.requests.clear();
      return { items: [] };
    }));
    router.get('/requests/:id', route((req) => {
      const found = /^\d+$/.test(req.params.id as string) ? controls.requests.get(Number(req.params.id)) : undefined;
      if (!found) throw new StatusError(404, 'NotFound', `request ${JSON.stringify(req.params.id)} is not in the log (it keeps the last ${controls.requests.capacity})`, {});
      return found;
    }));

    router.get('/faults', route(() => controls.faults.report()));
    router.put('/faults', route((req) => {
      controls.faults.replace(jsonBody(req));
      return controls.faults.report();
    }));
    router.post('/faults', route((req) => {
      controls.faults.add(jsonBody(req));
      return controls.faults.report();
    }));
    router.delete('/faults', route(() => {
      controls.faults.clear();
      return controls.faults.report();
    }));
    router.delete('/faults/:id', route((req) => {
      if (!controls.faults.remove(req.params.id as string)) throw new StatusError(404, 'NotFound', `fault rule ${JSON.stringify(req.params.id)} not found`, {});
      return controls.faults.report();
    }));

    router.get('/clock', route(() => controls.clock.state()));
    router.post('/clock', route((req) => {
      const body = jsonBody(req) as { advance?: unknown; set?: unknown } | null;
      const keys = body && typeof body === 'object' ? Object.keys(body) : [];
      if (keys.length !== 1 || (typeof body!.advance !== 'string' && typeof body!.set !== 'string')) throw bad('the body must be {"advance": "<Go duration>"} or {"set": "<RFC 3339 time>"}');
      try {
        if (typeof body!.advance === 'string') controls.clock.advance(durationMs(body!.advance));
        else controls.clock.set(parseRfc3339(body!.set as string));
      } catch (e) {
        throw bad((e as Error).message);
      }
      return controls.clock.state();
    }));

    // Known paths, other methods: 405, as the API answers them.
    router.all(['/reset', '/seed', '/snapshot', '/requests', '/requests/:id', '/faults', '/faults/:id', '/clock'], (_req: Request, res: Response) => sendError(res, errors.methodNotAllowed()));
    // Anything else under the prefix: a Status, not the API's root-paths 404.
    router.all('/{*rest}', (_req: Request, res: Response) => sendError(res, new StatusError(404, 'NotFound', 'the server could not find the requested resource', {})));
    router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
    app.use(ADMIN_PREFIX, router);
  };
}
