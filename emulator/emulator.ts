/**
 * createEmulator(): everything wired together — openapi.yaml read and compiled once, the
 * store opened, one generic registry per resource, the Express app. For test harnesses and
 * for the CLI alike.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { loadDocument, type ApiDocument } from './openapi/document.js';
import { compileValidators, type Validators } from './openapi/validators.js';
import { ResourceRegistry, type Runtime } from './machinery/registry.js';
import { WatchHub } from './machinery/watch.js';
import { createApp } from './http/app.js';
import { systemRoutes } from './http/system.js';
import type { EmulatorContext, RouteModule } from './context.js';
import { resources } from './resources/index.js';
import type { Profile } from './resources/types.js';
import { openStore, type Store } from './store/index.js';
import { readManifests, seedObjects, type SeedResult } from './seed.js';

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
  const profile = options.profile ?? 'apoxy';
  const store = await openStore(options.dataFile);
  const rt: Runtime = {
    store,
    profile,
    clock: options.clock ?? (() => new Date()),
    random: options.random ?? Math.random,
    uuid: options.uuid ?? randomUUID,
  };
  const registries = new Map<string, ResourceRegistry>();
  for (const def of resources) {
    registries.set(def.plural, new ResourceRegistry(def, validators.codec({ group: def.group, version: def.version, kind: def.kind }), rt));
  }
  const hub = new WatchHub(store, options.watchHistory ?? 10000);
  const responseProblems: string[] = [];
  const ctx: EmulatorContext = { doc, validators, store, hub, registries, runtime: rt, profile, options };
  // What is served besides the resource API, in mount order. Each module is self-contained.
  const modules: RouteModule[] = [systemRoutes];
  const app = createApp({
    doc,
    registries,
    hub,
    clock: rt.clock,
    watchLimits: { bookmarkIntervalMs: options.watchBookmarkIntervalMs ?? 60_000, defaultTimeoutMs: 30 * 60_000 },
    before: modules.map((m) => (a) => m(a, ctx)),
    onResponse: options.validateResponses
      ? (op, status, ct, body) => {
          for (const p of validators.checkResponse(op.operationId, status, ct, body, profile)) responseProblems.push(`${op.operationId} ${status}: ${p}`);
        }
      : undefined,
  });

  const seed = (manifests: unknown[]) => seedObjects(doc, registries, manifests);
  const seeded = options.seed ? await seed(readManifests(Array.isArray(options.seed) ? options.seed : [options.seed])) : [];

  let server: Server | undefined;
  let url: string | undefined;
  const emulator: Emulator = {
    app,
    store,
    profile,
    doc,
    validators,
    seeded,
    responseProblems,
    get url() {
      return url;
    },
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const s = app.listen(port, host);
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          const addr = s.address() as AddressInfo;
          const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          url = `http://${h}:${addr.port}`;
          resolve(url);
        });
      });
    },
    async close() {
      hub.shutdown();
      if (server) {
        const closed = new Promise<void>((r) => server!.close(() => r()));
        server.closeIdleConnections();
        await closed;
        server = undefined;
      }
      await store.close();
    },
    async reset() {
      const durable: Promise<void>[] = [];
      for (const def of resources) {
        for (const obj of [...store.list(def.plural)]) durable.push(store.commit({ op: 'delete', resource: def.plural, name: obj.metadata.name! }).durable);
      }
      await Promise.all(durable);
    },
    seed,
  };
  return emulator;
}
