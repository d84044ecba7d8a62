/**
 * createEmulator(): everything wired together — openapi.yaml read and compiled once, the
 * store opened, one generic registry per resource, the one EmulatorContext, the Express app
 * with its modules (request log, API key, fault gate, admin, health, discovery, OpenAPI). For
 * test harnesses and for the CLI alike. This is the only file that knows every part.
 */
import { randomUUID } from 'node:crypto';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDocument, type ApiDocument } from './openapi/document.js';
import { compileValidators, type Validators } from './openapi/validators.js';
import { ResourceRegistry, type Runtime } from './machinery/registry.js';
import { ServedVersion } from './machinery/served-version.js';
import { StatusError } from './machinery/status.js';
import { WatchHub } from './machinery/watch.js';
import { readKindSchema, type KindSchema } from './machinery/kind-schema.js';
import { checkStoredObjects } from './machinery/stored-objects.js';
import { createApp } from './http/app.js';
import { systemRoutes } from './http/system.js';
import { discoveryRoutes } from './http/discovery.js';
import { openapiRoutes } from './http/openapi-served.js';
import { openapiV2Routes } from './http/openapi-v2-served.js';
import { createTlsServer, resolveTls } from './http/tls.js';
import { apiKeyAuth } from './http/auth.js';
import { HostAllowList, hostCheck, parseAllowedHosts } from './http/host-check.js';
import { compileCorsOrigins, crossOrigin } from './http/cross-origin.js';
import { projectScope } from './http/project-scope.js';
import { closeGracefully, createLimitedServer, httpLimits, trackOpenResponses } from './http/limits.js';
import { adminRoutes } from './http/admin-routes.js';
import { RequestLog } from './http/request-log.js';
import { requestLogging } from './http/request-logging.js';
import type { EmulatorContext } from './context.js';
import type { EmulatorOptions, ResetOptions } from './options.js';
import { checkOptions } from './check-options.js';
import { resources } from './resources/index.js';
import { storageVersion, type Profile, type ResourceDefinition } from './resources/types.js';
import { openStore, type NormalizeStored, type Store } from './store/index.js';
import { readManifests, seedObjects, type SeedResult } from './seed.js';
import { dashboardRoutes } from './http/dashboard.js';
import { FaultInjector } from './faults/injector.js';
import { faultGate } from './faults/middleware.js';
import { normalizeConfig } from './faults/rules.js';
import { ControllableClock, durationMs, parseRfc3339 } from './simulate/clock.js';
import { seededRandomness } from './simulate/determinism.js';
import { simulateReady, type ReadySimulator } from './simulate/ready.js';
import type { StoreState } from './store/types.js';

export interface Emulator {
  /**
   * The request handler (an Express app), for supertest or your own `http.createServer`. Typed
   * as Node's RequestListener so that the package's types need no @types/express.
   */
  readonly app: RequestListener;
  readonly store: Store;
  readonly profile: Profile;
  readonly doc: ApiDocument;
  readonly validators: Validators;
  readonly seeded: SeedResult[];
  /** The base URL once listening. */
  readonly url: string | undefined;
  /** Starts serving; port 0 picks a free one. Resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops serving (open watches end), waits for every accepted write, releases the data file. */
  close(): Promise<void>;
  /**
   * Back to the same start: the store emptied, the random source re-seeded (`randomSeed`), a
   * fixed clock back at its start (`fixedClock`). The resourceVersion keeps rising unless
   * `restartResourceVersion` (see ResetOptions for why).
   */
  reset(options?: ResetOptions): Promise<void>;
  /** Creates or replaces objects from parsed manifests. */
  seed(manifests: unknown[]): Promise<SeedResult[]>;
  /** Problems found by validateResponses so far. */
  readonly responseProblems: string[];
  /** The clock every timestamp reads; advance or set it (test harnesses). */
  readonly clock: ControllableClock;
  /** Fault rules in force and how often each fired. */
  readonly faults: FaultInjector;
  /** The recent requests, newest last. */
  readonly requests: RequestLog;
  /** The whole state, as `GET /_emulator/snapshot` exports it. */
  snapshot(): StoreState;
  /** Replaces the whole state with a snapshot (objects get fresh resourceVersions). */
  restore(state: StoreState): Promise<void>;
}

/**
 * What an emulator serves: openapi.yaml (read and compiled once) and the resources it
 * describes. The shipped one is openapi.yaml with the definitions of resources/index.ts; a test
 * may describe another (see test/adding-a-resource.test.ts).
 */
export interface ServedApi {
  doc: ApiDocument;
  validators: Validators;
  resources: ResourceDefinition[];
  /** What each version's schema says about lists, patching and Go's shape, by `<plural>/<version>`. */
  kindSchemas: Map<string, KindSchema>;
}

/** Reads and compiles a document for the given resource definitions. */
export function describeApi(documentFile: string | undefined, defs: ResourceDefinition[]): ServedApi {
  const doc = loadDocument(documentFile);
  const kindSchemas = new Map<string, KindSchema>();
  for (const def of defs) {
    for (const v of def.versions) {
      const schemaKey = doc.schemaKeyForKind({ group: def.group, version: v.name, kind: def.kind });
      kindSchemas.set(`${def.plural}/${v.name}`, readKindSchema(doc.schemas, schemaKey, def.goPointers));
    }
  }
  return { doc, validators: compileValidators(doc), resources: defs, kindSchemas };
}

/** Objects read from a data file or restored from a snapshot get the shape Go writes for their storage version. */
function normalizeStored(api: ServedApi): NormalizeStored {
  const shapes = new Map(api.resources.map((def) => [def.plural, api.kindSchemas.get(`${def.plural}/${storageVersion(def).name}`)!.shape]));
  return (resource, obj) => shapes.get(resource)?.(obj);
}

let shipped: ServedApi | undefined;

/** The package's own API, read and compiled once per process, however many emulators a test starts. */
function shippedApi(): ServedApi {
  return (shipped ??= describeApi(undefined, resources));
}

export function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return emulate(shippedApi(), options);
}

/** An emulator of any described API; createEmulator() is this with the shipped one. */
export async function emulate(api: ServedApi, options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options); // the same checks, and messages, as the CLI's
  const store = await openStore(options.dataFile, { normalize: normalizeStored(api) });
  try {
    return await assemble(options, api, store);
  } catch (e) {
    await store.close(); // a bad option must not leave the data file locked
    throw e;
  }
}

async function assemble(options: EmulatorOptions, api: ServedApi, store: Store): Promise<Emulator> {
  const { doc, validators } = api;
  const profile = options.profile ?? 'apoxy';
  // Only parsed here: checkOptions() in emulate() has already refused a bad value, by the CLI's rules.
  const hosts = new HostAllowList(parseAllowedHosts(options.allowedHosts, 'allowedHosts'));
  const corsOrigins = compileCorsOrigins(options.corsAllowedOrigins, 'corsAllowedOrigins');
  const clock = new ControllableClock(typeof options.fixedClock === 'string' ? parseRfc3339(options.fixedClock) : options.fixedClock, options.clock);
  const seededRandom = options.randomSeed !== undefined ? seededRandomness(options.randomSeed) : undefined;
  const rt: Runtime = {
    store,
    profile,
    clock: clock.now,
    random: options.random ?? seededRandom?.random ?? Math.random,
    uuid: options.uuid ?? seededRandom?.uuid ?? randomUUID,
  };
  const registries = new Map<string, ResourceRegistry>();
  for (const def of api.resources) {
    // Every version of a resource from one store: each decodes with its own schema in openapi.yaml.
    const versions = def.versions.map((v) => {
      const codec = validators.codec({ group: def.group, version: v.name, kind: def.kind });
      return new ServedVersion(def, v, codec, api.kindSchemas.get(`${def.plural}/${v.name}`)!, profile);
    });
    registries.set(def.plural, new ResourceRegistry(def, versions, rt));
  }
  const hub = new WatchHub(store, options.watchHistory ?? 10000);
  const responseProblems: string[] = [];
  const ctx: EmulatorContext = { doc, validators, store, hub, registries, runtime: rt, profile, options };
  // For test harnesses: the request log, fault rules and admin controls (off until used).
  const requests = new RequestLog(options.requestLogSize, options.requestLogBodyBytes);
  const faults = new FaultInjector(options.randomSeed ?? 0, options.faults ? normalizeConfig(options.faults) : undefined, new Set(doc.operations.map((o) => o.operationId)));
  const fixedStart = clock.fixed ? clock.now() : undefined;
  const reset = async ({ restartResourceVersion = false }: ResetOptions = {}) => {
    if (restartResourceVersion) {
      if (!store.restart) throw new StatusError(400, 'BadRequest', `the resourceVersion can only restart in memory: the journal of ${store.location} is replayed by resourceVersion, which must only rise`);
      await store.restart();
      hub.restart();
    } else {
      const durable: Promise<void>[] = [];
      for (const plural of registries.keys()) {
        for (const obj of [...store.list(plural)]) durable.push(store.commit({ op: 'delete', resource: plural, name: obj.metadata.name! }).durable);
      }
      await Promise.all(durable);
    }
    seededRandom?.reseed();
    if (fixedStart) clock.set(fixedStart);
  };
  const seed = (manifests: unknown[]) => seedObjects(doc, registries, manifests);
  const admin = adminRoutes({
    reset,
    seed,
    requests,
    clock,
    faults: {
      report: () => faults.report(),
      replace: (config) => faults.replace(normalizeConfig(config)),
      add: (config) => faults.add(normalizeConfig(config)),
      clear: () => faults.clear(),
      remove: (id) => faults.remove(id),
    },
  });
  // Middleware every request passes first: the Host and Origin checks before anything else (a
  // refused request touches nothing), the project prefix, the log, the key. Then the resource API
  // (each route behind the fault gate); then the other routes. Each module is self-contained.
  const app = createApp(ctx, {
    middleware: [hostCheck(hosts), crossOrigin(corsOrigins), projectScope, requestLogging(requests, clock.nowMs), apiKeyAuth],
    gates: [faultGate(faults)],
    routes: [...(options.ui === false ? [] : [dashboardRoutes]), admin, systemRoutes, discoveryRoutes, openapiRoutes, openapiV2Routes],
    onResponse: options.validateResponses
      ? (op, status, ct, body) => {
          for (const p of validators.checkResponse(op.operationId, status, ct, body, profile)) responseProblems.push(`${op.operationId} ${status}: ${p}`);
        }
      : undefined,
  });

  const ready: ReadySimulator | undefined =
    options.simulateReady !== undefined ? simulateReady(ctx, typeof options.simulateReady === 'number' ? options.simulateReady : durationMs(options.simulateReady)) : undefined;
  const seededObjects = options.seed ? await seed(readManifests(Array.isArray(options.seed) ? options.seed : [options.seed])) : [];
  const warn = options.onWarning ?? ((m: string) => process.stderr.write(`apoxy-emulator: warning: ${m}\n`));
  for (const note of store.notes) warn(`${store.location}: ${note}`);
  const storedCheck = options.dataFile ? checkStoredObjects(store, registries, warn) : undefined;

  let server: Server | undefined;
  let url: string | undefined;
  const emulator: Emulator = {
    app,
    store,
    profile,
    doc,
    validators,
    seeded: seededObjects,
    responseProblems,
    clock,
    faults,
    requests,
    snapshot: () => store.exportState(),
    async restore(state) {
      await store.replaceAll(state).durable;
    },
    get url() {
      return url;
    },
    async listen(port = 0, host = '127.0.0.1') {
      const tls = options.tls ? await resolveTls(options.tls) : undefined;
      hosts.allowBindAddress(host);
      return new Promise((resolve, reject) => {
        const s = tls ? createTlsServer(app, tls, httpLimits(options.limits)) : createLimitedServer(app, httpLimits(options.limits));
        trackOpenResponses(s);
        s.listen(port, host);
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          const addr = s.address() as AddressInfo;
          const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          url = `${tls ? 'https' : 'http'}://${h}:${addr.port}`;
          storedCheck?.startIn(250);
          resolve(url);
        });
      });
    },
    async close() {
      storedCheck?.stop();
      ready?.close();
      hub.shutdown();
      if (server) {
        await closeGracefully(server);
        server = undefined;
      }
      await store.close();
    },
    reset,
    seed,
  };
  return emulator;
}
