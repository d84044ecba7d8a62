/**
 * `apoxy-emulator/testing`: one emulator per test file, on a free port of 127.0.0.1, reset before
 * each test to how it started (the objects it started with, none unless `seed` or `dataFile`; an
 * empty request log; the fault rules given re-armed; the random source re-seeded and a fixed
 * clock back at its start; with `restartResourceVersion`, the resourceVersion from 0 again), with
 * a ready fetch-style client. The Go and Python harnesses reset the same way. Works with vitest, node:test, or any runner with
 * before-all / before-each / after-all hooks; no runner is a dependency.
 *
 *   // vitest
 *   import { beforeAll, beforeEach, afterAll } from 'vitest';
 *   const emu = useEmulator({ hooks: { beforeAll, beforeEach, afterAll } });
 *   // node:test
 *   import { before, beforeEach, after } from 'node:test';
 *   const emu = useEmulator({ hooks: { beforeAll: before, beforeEach, afterAll: after } });
 */
import { AdminClient } from './admin-client.js';
import { createEmulator, type Emulator } from './emulator.js';
import type { EmulatorOptions, ResetOptions } from './options.js';
import { normalizeConfig } from './faults/rules.js';

type Hook = (fn: () => Promise<void> | void) => unknown;

export interface TestHooks {
  beforeAll: Hook;
  beforeEach: Hook;
  afterAll: Hook;
}

/** `init.body` may be a plain object or array: it is sent as JSON. */
export type ClientInit = Omit<RequestInit, 'body'> & { body?: RequestInit['body'] | object };

/** fetch() with the emulator's base URL: `client('/apis/...', init)`. */
export interface EmulatorClient {
  (path: string, init?: ClientInit): Promise<Response>;
  readonly url: string;
}

export interface TestEmulator {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly client: EmulatorClient;
  /** The admin API (seed, snapshot, requests, faults, clock). */
  readonly admin: AdminClient;
  /** The emulator itself (in this process). */
  readonly emulator: Emulator;
  /** What runs before each test: back to how it started (see above). */
  reset(): Promise<void>;
}

export interface RunningTestEmulator extends TestEmulator {
  close(): Promise<void>;
}

export function makeClient(url: string, headers: Record<string, string> = {}): EmulatorClient {
  const client = (path: string, init: ClientInit = {}) => {
    const h = new Headers(init.headers as HeadersInit | undefined);
    for (const [k, v] of Object.entries(headers)) if (!h.has(k)) h.set(k, v);
    let body = init.body as RequestInit['body'];
    const raw = init.body as unknown;
    const isJson = raw !== null && typeof raw === 'object' && (Array.isArray(raw) || Object.getPrototypeOf(raw) === Object.prototype);
    if (isJson) {
      body = JSON.stringify(raw);
      if (!h.has('content-type')) h.set('content-type', 'application/json');
    }
    return fetch(url + path, { ...init, headers: h, body });
  };
  return Object.assign(client, { url }) as EmulatorClient;
}

/** Starts an emulator in this process (in memory unless `dataFile` is given) on a free port. */
export async function startTestEmulator(options: EmulatorOptions & ResetOptions = {}): Promise<RunningTestEmulator> {
  const { restartResourceVersion, ...emulatorOptions } = options;
  const emulator = await createEmulator(emulatorOptions);
  const url = await emulator.listen(0, '127.0.0.1');
  const auth: Record<string, string> = options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {};
  const initialFaults = options.faults ? normalizeConfig(options.faults) : undefined;
  const startState = emulator.store.exportState();
  const startedWithObjects = Object.values(startState.resources).some((objects) => Object.keys(objects).length > 0);
  return {
    url,
    emulator,
    client: makeClient(url, auth),
    admin: new AdminClient(url, auth),
    async reset() {
      await emulator.reset({ restartResourceVersion }); // also the random source and a fixed clock
      if (startedWithObjects) await emulator.restore(startState);
      emulator.requests.clear();
      if (initialFaults) emulator.faults.replace(initialFaults);
      else emulator.faults.clear();
    },
    close: () => emulator.close(),
  };
}

function globalHooks(): TestHooks | undefined {
  const g = globalThis as Record<string, unknown>;
  const beforeAll = (g.beforeAll ?? g.before) as Hook | undefined;
  const afterAll = (g.afterAll ?? g.after) as Hook | undefined;
  const beforeEach = g.beforeEach as Hook | undefined;
  return typeof beforeAll === 'function' && typeof beforeEach === 'function' && typeof afterAll === 'function' ? { beforeAll, beforeEach, afterAll } : undefined;
}

/**
 * Registers the hooks and returns the emulator's handle, usable from the first beforeAll on.
 * Hooks are taken from `options.hooks`, else from globals (vitest `globals: true`, mocha, jest).
 */
export function useEmulator(options: EmulatorOptions & ResetOptions & { hooks?: TestHooks } = {}): TestEmulator {
  const { hooks: given, ...emulatorOptions } = options;
  const hooks = given ?? globalHooks();
  if (!hooks) throw new Error("useEmulator: pass { hooks: { beforeAll, beforeEach, afterAll } } (import them from 'vitest', or before/beforeEach/after from 'node:test')");
  let running: RunningTestEmulator | undefined;
  const get = (): RunningTestEmulator => {
    if (!running) throw new Error('useEmulator: the emulator starts in beforeAll; use it inside tests or hooks');
    return running;
  };
  hooks.beforeAll(async () => {
    running = await startTestEmulator(emulatorOptions);
  });
  hooks.beforeEach(() => get().reset());
  hooks.afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  return {
    get url() {
      return get().url;
    },
    get client() {
      return get().client;
    },
    get admin() {
      return get().admin;
    },
    get emulator() {
      return get().emulator;
    },
    reset: () => get().reset(),
  };
}

export { AdminClient, AdminError } from './admin-client.js';
