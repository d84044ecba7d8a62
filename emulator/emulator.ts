/**
 * createEmulator(): everything wired together — openapi.yaml read and compiled once, the
 * store opened, one generic registry per resource, the Express app. For test harnesses and
 * for the CLI alike.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, RequestHandler } from 'express';
import { loadDocument, type ApiDocument } from './openapi/document.js';
import { compileValidators, type Validators } from './openapi/validators.js';
import { ResourceRegistry, type Runtime } from './machinery/registry.js';
import { ServedVersion } from './machinery/served-version.js';
import { WatchHub } from './machinery/watch.js';
import { readKindSchema } from './machinery/kind-schema.js';
import { createApp } from './http/app.js';
import { systemRoutes } from './http/system.js';
import { discoveryRoutes } from './http/discovery.js';
import { openapiRoutes } from './http/openapi-served.js';
import { openapiV2Routes } from './http/openapi-v2-served.js';
import { createTlsServer, resolveTls, type TlsOption } from './http/tls.js';
import { apiKeyAuth } from './http/auth.js';
import { closeGracefully, createLimitedServer, httpLimits, type HttpLimits } from './http/limits.js';
import type { EmulatorContext, MiddlewareModule, RouteModule } from './context.js';
import { resources } from './resources/index.js';
import type { Profile } from './resources/types.js';
import { openStore, type Store } from './store/index.js';
import { readManifests, seedObjects, type SeedResult } from './seed.js';
import { adminRoutes, RequestLog, requestLogging } from './http/admin.js';
import { FaultInjector } from './faults/injector.js';
import { faultGate } from './faults/middleware.js';
import { normalizeConfig, type FaultConfig, type FaultRuleSpec } from './faults/rules.js';
import { ControllableClock, durationMs, parseRfc3339 } from './simulate/clock.js';
import { seededRandomness } from './simulate/determinism.js';
import { simulateReady, type ReadySimulator } from './simulate/ready.js';
import type { StoreState } from './store/types.js';

export interface EmulatorOptions {
  /** JSON data file; omitted means in memory. */
  dataFile?: string;
  /** `apoxy` (default): behave like the real server. `documented`: the published contract. */
  profile?: Profile;
  /** Manifest files or folders to seed at start-up. */
  seed?: string | string[];
  /** Check every API response against openapi.yaml and throw on a mismatch (tests). */
  validateResponses?: boolean;
  /** Clock and randomness, for reproducible responses. */
  clock?: () => Date;
  random?: () => number;
  uuid?: () => string;
  /** Watch tuning. */
  watchBookmarkIntervalMs?: number;
  watchHistory?: number;
  /** When set, every request except health checks must carry this key (X-Apoxy-API-Key or Bearer). */
  apiKey?: string;
  /** Header size, slow-client timeouts, concurrent watches (defaults in http/limits.ts). */
  limits?: Partial<HttpLimits>;
  /** Serve HTTPS: a given certificate and key, or `self-signed` (made when listen() starts). */
  tls?: TlsOption;
  /** Freezes the clock at this instant (`--clock fixed:`); move it with `emulator.clock` or `/_emulator/clock`. */
  fixedClock?: Date | string;
  /** Seeds uids, generateName suffixes and fault rules (`--random-seed`), for reproducible responses. */
  randomSeed?: number | string;
  /** Fault rules active from the start (`--faults`). */
  faults?: FaultConfig | FaultRuleSpec[];
  /** Sets a Ready condition this long after each create or spec change (`--simulate-ready`): ms or a Go duration. */
  simulateReady?: number | string;
  /** How many recent requests `/_emulator/requests` keeps (default 1000). */
  requestLogSize?: number;
}

export interface Emulator {
  readonly app: Express;
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
  /** Empties the store; the resourceVersion never goes backwards. */
  reset(): Promise<void>;
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

let cachedDoc: { doc: ApiDocument; validators: Validators } | undefined;

/** openapi.yaml is read and compiled once per process, however many emulators a test starts. */
function documentAndValidators() {
  if (!cachedDoc) {
    const doc = loadDocument();
    cachedDoc = { doc, validators: compileValidators(doc) };
  }
  return cachedDoc;
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { doc, validators } = documentAndValidators();
  const store = await openStore(options.dataFile);
  try {
    return await assemble(options, doc, validators, store);
  } catch (e) {
    await store.close(); // a bad option must not leave the data file locked
    throw e;
  }
}

async function assemble(options: EmulatorOptions, doc: ApiDocument, validators: Validators, store: Store): Promise<Emulator> {
  const profile = options.profile ?? 'apoxy';
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
  for (const def of resources) {
    // Every version of a resource from one store: each decodes with its own schema in openapi.yaml.
    const versions = def.versions.map((v) => {
      const codec = validators.codec({ group: def.group, version: v.name, kind: def.kind });
      return new ServedVersion(def, v, codec, readKindSchema(doc.schemas, codec.schemaKey, def.goPointers), profile);
    });
    registries.set(def.plural, new ResourceRegistry(def, versions, rt));
  }
  const hub = new WatchHub(store, options.watchHistory ?? 10000);
  const responseProblems: string[] = [];
  const ctx: EmulatorContext = { doc, validators, store, hub, registries, runtime: rt, profile, options };
  // For test harnesses: the request log, fault rules and admin controls (off until used).
  const requests = new RequestLog(options.requestLogSize);
  const faults = new FaultInjector(options.randomSeed ?? 0, options.faults ? normalizeConfig(options.faults) : undefined, new Set(doc.operations.map((o) => o.operationId)));
  const reset = async () => {
    const durable: Promise<void>[] = [];
    for (const def of resources) {
      for (const obj of [...store.list(def.plural)]) durable.push(store.commit({ op: 'delete', resource: def.plural, name: obj.metadata.name! }).durable);
    }
    await Promise.all(durable);
  };
  const seed = (manifests: unknown[]) => seedObjects(doc, registries, manifests);
  const admin = adminRoutes({ reset, seed, requests, faults, clock });
  // Middleware every request passes first; then the resource API; then the other routes.
  // Each module is self-contained.
  const middleware: MiddlewareModule[] = [requestLogging(requests, clock.now), apiKeyAuth];
  const routes: RouteModule[] = [admin, systemRoutes, discoveryRoutes, openapiRoutes, openapiV2Routes];
  const app = createApp({
    doc,
    registries,
    hub,
    clock: rt.clock,
    watchLimits: {
      bookmarkIntervalMs: options.watchBookmarkIntervalMs ?? 60_000,
      defaultTimeoutMs: 30 * 60_000,
      maxWatches: httpLimits(options.limits).maxWatches,
    },
    before: middleware.map((m) => m(ctx)).filter((h): h is RequestHandler => h !== undefined),
    after: routes.map((m) => (a) => m(a, ctx)),
    gates: [faultGate(ctx, faults)],
    onResponse: options.validateResponses
      ? (op, status, ct, body) => {
          for (const p of validators.checkResponse(op.operationId, status, ct, body, profile)) responseProblems.push(`${op.operationId} ${status}: ${p}`);
        }
      : undefined,
  });

  const ready: ReadySimulator | undefined =
    options.simulateReady !== undefined ? simulateReady(ctx, typeof options.simulateReady === 'number' ? options.simulateReady : durationMs(options.simulateReady)) : undefined;
  const seededObjects = options.seed ? await seed(readManifests(Array.isArray(options.seed) ? options.seed : [options.seed])) : [];

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
      return new Promise((resolve, reject) => {
        const s = tls ? createTlsServer(app, tls, httpLimits(options.limits)) : createLimitedServer(app, httpLimits(options.limits));
        s.listen(port, host);
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          const addr = s.address() as AddressInfo;
          const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          url = `${tls ? 'https' : 'http'}://${h}:${addr.port}`;
          resolve(url);
        });
      });
    },
    async close() {
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
