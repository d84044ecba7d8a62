/**
 * The Express app, generated from openapi.yaml: one route per operation in the document,
 * each dispatched by its x-kubernetes-action to the generic registry of its resource, and its
 * answer presented in the operation's version.
 * Paths the document serves answer 405 to other methods; anything else is a Kubernetes 404.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext, GateModule, MiddlewareModule, RouteModule } from '../context.js';
import type { ApiDocument, Operation } from '../openapi/document.js';
import type { ApiRequest, ApiResponse, ResourceRegistry, ListBody } from '../machinery/registry.js';
import type { ServedVersion } from '../machinery/served-version.js';
import { parseQuery } from '../machinery/options.js';
import { errors } from '../machinery/status.js';
import { parseIncludeObject, toTable } from '../machinery/table.js';
import type { KubeObject } from '../resources/types.js';
import { MAX_BODY_BYTES } from '../shared-names.js';
import { mediaTypeOf, negotiate, wantsPretty, type Negotiated } from './negotiation.js';
import { send, sendError, toStatusError } from './respond.js';
import { serveWatch, watchLimits } from './watch.js';

/** What plugs into the app besides the resource API; every module gets the one context. */
export interface AppModules {
  /** Middleware every request passes first (request log, API key), in this order. */
  middleware?: MiddlewareModule[];
  /** Steps on each API route between reading the body and the operation (fault injection). */
  gates?: GateModule[];
  /**
   * Routes outside the resource API (health, discovery, OpenAPI, admin), mounted after it so the
   * hottest paths are matched first, and before the 404 handlers.
   */
  routes?: RouteModule[];
  /** Called with every API response in tests, to check it against openapi.yaml. */
  onResponse?: (op: Operation, status: number, contentType: string, body: unknown) => void;
}

function expressPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

const isWatch = (q: Record<string, unknown>) => q.watch === true;

/** The query of a request without a query string. */
const NO_QUERY: Record<string, unknown> = Object.freeze({});
const JSON_ONLY: Negotiated = Object.freeze({ format: 'json' });

/** Reads answer synchronously, writes once durable: a promise only where there is something to wait for. */
function dispatch(reg: ResourceRegistry, op: Operation, api: ApiRequest): ApiResponse | Promise<ApiResponse> {
  switch (op.action) {
    case 'post':
      return reg.create(api);
    case 'get':
      return reg.get(api);
    case 'list':
      return reg.list(api);
    case 'put':
      return reg.update(api);
    case 'patch':
      return reg.patch(api);
    case 'delete':
      return reg.delete(api);
    case 'deletecollection':
      return reg.deleteCollection(api);
  }
}

function asTable(reg: ResourceRegistry, version: ServedVersion, res: ApiResponse, neg: Negotiated, req: Request, now: Date): unknown {
  const body = res.body as KubeObject | ListBody;
  const include = parseIncludeObject(req.query.includeObject);
  const opts = { include, version: neg.table!.version, now, present: (o: KubeObject) => version.fromStorage(o) };
  if ('items' in body && Array.isArray(body.items)) return toTable(reg.def, body.items, { ...body.metadata }, opts);
  const obj = body as KubeObject;
  return toTable(reg.def, [obj], { resourceVersion: obj.metadata.resourceVersion }, opts);
}

export function createApp(ctx: EmulatorContext, modules: AppModules = {}): express.Express {
  const app = express();
  const clock = ctx.runtime.clock;
  const limits = watchLimits(ctx.options);
  const onResponse = modules.onResponse;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  runBeforeRouting(app, (modules.middleware ?? []).map((m) => m(ctx)).filter((h): h is express.RequestHandler => h !== undefined));

  const rawBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  const opGates = (modules.gates ?? []).map((g) => g(ctx));
  const served = new Map<string, Set<string>>();
  const routes = new Map<string, ReturnType<typeof app.route>>();

  for (const op of ctx.doc.operations) {
    const reg = ctx.registries.get(op.resource);
    if (!reg) throw new Error(`openapi.yaml serves ${op.resource}, but no resource definition describes it`);
    // Answers leave in the URL's version.
    const version = reg.versionOf(op);
    const path = expressPath(op.path);
    (served.get(path) ?? served.set(path, new Set()).get(path)!).add(op.method);
    const tableAllowed = !op.subresource && (op.action === 'get' || op.action === 'list');
    // One route (one router layer) per path, its methods attached to it: fewer layers to walk.
    if (!routes.has(path)) routes.set(path, app.route(path));
    const fail = (res: Response, neg: Negotiated, pretty: boolean, e: unknown): void => {
      if (res.headersSent) {
        res.end();
        return;
      }
      const se = toStatusError(e);
      sendError(res, se, { format: neg.format }, pretty);
      onResponse?.(op, se.code, 'application/json', se.status);
    };
    const answer = (req: Request, res: Response, neg: Negotiated, pretty: boolean, result: ApiResponse): void => {
      try {
        const body = neg.table ? asTable(reg, version, result, neg, req, clock()) : version.present(result.body);
        // Tables of either version have the one declared Table shape.
        onResponse?.(op, result.status, neg.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', body);
        send(res, result.status, body, neg, pretty, result.warnings);
      } catch (e) {
        fail(res, neg, pretty, e);
      }
    };
    // Nothing per request that can be made once per route: fail and answer are made here.
    const handle = (req: Request, res: Response): void => {
      // Express 5 parses the query string again on every access of req.query: once here, and
      // not at all for the many requests without one.
      const query = req.url.includes('?') ? (req.query as Record<string, unknown>) : NO_QUERY;
      const userAgent = req.headers['user-agent'];
      let neg: Negotiated = JSON_ONLY;
      const pretty = wantsPretty(query.pretty, userAgent);
      try {
        neg = negotiate(req.headers.accept, tableAllowed);
        const api: ApiRequest = {
          op,
          name: req.params.name as string | undefined,
          query: query === NO_QUERY ? {} : parseQuery(op, query),
          body: Buffer.isBuffer(req.body) ? req.body : undefined,
          contentType: op.method === 'get' ? undefined : mediaTypeOf(req.headers['content-type']),
          userAgent,
        };
        if (op.action === 'list' && isWatch(api.query)) {
          serveWatch(reg, version, ctx.hub, api, req, res, neg, limits, clock);
          return;
        }
        // No async wrapper: a synchronous answer (get, list) is written in this same tick.
        const result = dispatch(reg, op, api);
        if (result instanceof Promise) {
          const negotiated = neg;
          result.then((r) => answer(req, res, negotiated, pretty, r), (e) => fail(res, negotiated, pretty, e));
        } else answer(req, res, neg, pretty, result);
      } catch (e) {
        fail(res, neg, pretty, e);
      }
    };
    const route = routes.get(path)!;
    // The gates and the operation as one route step: no router layer per gate.
    const guarded = guard(opGates.map((gate) => gate(op)), handle);
    // GET bodies are ignored, as kube-apiserver ignores them: not read on the hottest path.
    if (op.method === 'get') route.get(guarded);
    else route[op.method](rawBody, guarded);
  }

  for (const mount of modules.routes ?? []) mount(app, ctx);

  // Served paths, other methods: 405.
  for (const [path] of served) {
    app.all(path, (_req: Request, res: Response) => sendError(res, errors.methodNotAllowed()));
  }
  // Under a served group/version, an unknown resource: NotFound Status.
  const prefixes = [...new Set(ctx.doc.operations.map((o) => o.path.split('/').slice(0, 4).join('/')))];
  for (const prefix of prefixes) {
    app.use(prefix, (_req: Request, res: Response) => sendError(res, errors.notFoundGeneric()));
  }
  // Anything else: what kube-apiserver's NotFound handler writes, the list of root paths.
  app.use((_req: Request, res: Response) => {
    res.status(404).type('application/json').end(JSON.stringify({ paths: rootPaths(ctx.doc) }, null, 2) + '\n');
  });
  // Body-parser failures (413, bad encoding) and anything unexpected: a Status, never a stack trace.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
  return app;
}

/** An API route's gates, then its handler: synchronous unless a gate has something to wait for. */
function guard(gates: express.RequestHandler[], handle: (req: Request, res: Response) => void): express.RequestHandler {
  return gates.length ? composeMiddleware(gates, handle) : handle;
}

/**
 * The middleware every request passes (request log, API key) run in order just before the app's
 * router takes the request, with Express's request and response already in place: the same as a
 * first router layer, without the cost of one (a path match, parameter processing and a
 * dispatch on every request). A failure is answered as a Status, as the error handler would.
 */
function runBeforeRouting(app: express.Express, chain: express.RequestHandler[]): void {
  if (!chain.length) return;
  const before = composeMiddleware(chain);
  // The app's router (the `router` package): app.handle() sets Express's prototypes, then calls this.
  const router = app.router as unknown as { handle(req: Request, res: Response, done: NextFunction): void };
  const route = router.handle.bind(router);
  router.handle = (req, res, done) => before(req, res, (err?: unknown) => (err ? sendError(res, err) : route(req, res, done)));
}

/** Middleware run in order as one step; then `last`, when given, instead of the next step. */
function composeMiddleware(chain: express.RequestHandler[], last?: (req: Request, res: Response) => void): express.RequestHandler {
  return (req, res, done) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err) return done(err);
      const fn = chain[i++];
      if (!fn) return last ? last(req, res) : done();
      try {
        const r = fn(req, res, next) as unknown;
        if (r instanceof Promise) r.catch(next);
      } catch (e) {
        next(e);
      }
    };
    next();
  };
}

function rootPaths(doc: ApiDocument): string[] {
  const paths = new Set<string>(['/apis', '/healthz', '/livez', '/readyz', '/version', '/openapi/v3']);
  for (const op of doc.operations) {
    const parts = op.path.split('/');
    paths.add(parts.slice(0, 3).join('/'));
    paths.add(parts.slice(0, 4).join('/'));
  }
  return [...paths].sort();
}
