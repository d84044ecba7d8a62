/**
 * A small client of the admin API (`/_emulator/`), for the CLI's seed/reset/snapshot commands and
 * the testing helper. A rejection is thrown as an AdminError carrying the Status the server sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RequestRecord, RequestFilter } from './http/admin.js';
import type { FaultReport } from './faults/injector.js';
import type { FaultConfig, FaultRuleSpec } from './faults/rules.js';
import type { ClockState } from './simulate/clock.js';
import { manifestFiles, type SeedResult } from './seed.js';
import type { StatusBody } from './machinery/status.js';
import type { StoreState } from './store/types.js';

export interface SeedReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  results: SeedResult[];
  resourceVersion: string;
}

export class AdminError extends Error {
  constructor(readonly code: number, readonly status: StatusBody | undefined, message: string) {
    super(message);
  }
}

export class AdminClient {
  readonly base: string;

  constructor(target: string, private readonly headers: Record<string, string> = {}) {
    this.base = target.replace(/\/+$/, '') + '/_emulator';
  }

  private async call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const init: RequestInit = { method, headers: { ...this.headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = contentType;
    }
    let res: Response;
    try {
      res = await fetch(this.base + path, init);
    } catch (e) {
      throw new AdminError(0, undefined, `cannot reach ${this.base}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const status = (parsed as StatusBody | undefined)?.kind === 'Status' ? (parsed as StatusBody) : undefined;
      throw new AdminError(res.status, status, `${method} ${this.base}${path}: ${res.status} ${status?.message ?? text.slice(0, 200)}`);
    }
    return parsed as T;
  }

  /** Empties the store and the request log; resourceVersions keep increasing. */
  reset(): Promise<{ resourceVersion: string }> {
    return this.call('POST', '/reset');
  }
  /** Manifests as YAML/JSON text (multi-document) or as objects. */
  seed(manifests: string | unknown[]): Promise<SeedReport> {
    return typeof manifests === 'string' ? this.call('POST', '/seed', manifests, 'application/yaml') : this.call('POST', '/seed', manifests.map((m) => JSON.stringify(m)).join('\n---\n'), 'application/yaml');
  }
  snapshot(): Promise<StoreState> {
    return this.call('GET', '/snapshot');
  }
  restore(state: StoreState): Promise<{ resourceVersion: string }> {
    return this.call('PUT', '/snapshot', state);
  }
  async requests(filter: RequestFilter = {}): Promise<RequestRecord[]> {
    const q = new URLSearchParams();
    if (filter.method) q.set('method', filter.method);
    if (filter.path) q.set('path', filter.path);
    if (filter.status) q.set('status', filter.status);
    if (filter.limit !== undefined) q.set('limit', String(filter.limit));
    if (filter.includeAdmin) q.set('all', 'true');
    const qs = q.toString();
    return (await this.call<{ items: RequestRecord[] }>('GET', `/requests${qs ? '?' + qs : ''}`)).items;
  }
  clearRequests(): Promise<unknown> {
    return this.call('DELETE', '/requests');
  }
  faults(): Promise<FaultReport> {
    return this.call('GET', '/faults');
  }
  /** Replaces every rule (counters restart). */
  setFaults(config: FaultConfig | FaultRuleSpec[]): Promise<FaultReport> {
    return this.call('PUT', '/faults', config);
  }
  addFaults(config: FaultConfig | FaultRuleSpec[]): Promise<FaultReport> {
    return this.call('POST', '/faults', config);
  }
  clearFaults(): Promise<FaultReport> {
    return this.call('DELETE', '/faults');
  }
  clock(): Promise<ClockState> {
    return this.call('GET', '/clock');
  }
  /** Moves the clock forward by a Go duration ("5m", "1h30m"). */
  advanceClock(duration: string): Promise<ClockState> {
    return this.call('POST', '/clock', { advance: duration });
  }
  setClock(time: string): Promise<ClockState> {
    return this.call('POST', '/clock', { set: time });
  }
}

// ---- CLI commands: apoxy-emulator seed|reset|snapshot --target <url> ---------------------------

/** Where the commands look for a running emulator when --target is not given. */
export const TARGET_ENV = 'APOXY_EMULATOR_URL';
export const ADMIN_COMMANDS = new Set(['seed', 'reset', 'snapshot']);

export const ADMIN_USAGE = `  seed <path>...     Create or update objects from manifest files or folders in a running emulator
  reset              Empty a running emulator's store (resourceVersions keep increasing)
  snapshot           Print a running emulator's whole state as JSON (--output <file> to save it,
                     --restore <file> to load one back)
  (these take --target <url>, default $${TARGET_ENV} or http://127.0.0.1:8080, and --api-key <key>)
`;

function usage(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
}

/** Runs one admin command; resolves with the exit code (0 ok, 1 the server refused or failed). */
export async function adminCommand(command: string, argv: string[], apiKeyEnv?: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: command === 'seed',
    strict: true,
    options: {
      target: { type: 'string' },
      'api-key': { type: 'string' },
      output: { type: 'string', short: 'o' },
      restore: { type: 'string' },
    },
  });
  if (command !== 'snapshot' && (values.output || values.restore)) throw usage(`--output and --restore belong to the snapshot command`);
  if (values.output && values.restore) throw usage('--output and --restore cannot be used together');
  const target = values.target ?? process.env[TARGET_ENV] ?? 'http://127.0.0.1:8080';
  if (!/^https?:\/\/[^/]+/.test(target)) throw usage(`--target must be an http(s) URL, got ${JSON.stringify(target)}`);
  const key = values['api-key'] || (apiKeyEnv ? process.env[apiKeyEnv] : undefined);
  const admin = new AdminClient(target, key ? { Authorization: `Bearer ${key}` } : {});
  try {
    if (command === 'reset') {
      const r = await admin.reset();
      process.stdout.write(`reset ${target} (resourceVersion ${r.resourceVersion})\n`);
      return 0;
    }
    if (command === 'seed') {
      if (!positionals.length) throw usage('seed needs at least one manifest file or folder');
      let text: string;
      try {
        text = manifestFiles(positionals).map((f) => readFileSync(f, 'utf8')).join('\n---\n');
      } catch (e) {
        throw usage((e as Error).message);
      }
      const r = await admin.seed(text);
      for (const o of r.results) {
        const line = `${o.outcome} ${o.kind} ${JSON.stringify(o.name)}${o.status ? `: ${o.status.message}` : ''}\n`;
        (o.outcome === 'failed' ? process.stderr : process.stdout).write(line);
      }
      process.stdout.write(`${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} failed\n`);
      return r.failed ? 1 : 0;
    }
    if (values.restore) {
      let state: StoreState;
      try {
        state = JSON.parse(readFileSync(values.restore, 'utf8')) as StoreState;
      } catch (e) {
        throw usage(`--restore ${values.restore}: ${(e as Error).message}`);
      }
      const r = await admin.restore(state);
      process.stdout.write(`restored ${values.restore} into ${target} (resourceVersion ${r.resourceVersion})\n`);
      return 0;
    }
    const text = JSON.stringify(await admin.snapshot(), null, 2) + '\n';
    if (values.output) writeFileSync(values.output, text);
    else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    process.stderr.write(`apoxy-emulator: ${e.message}\n`);
    return 1;
  }
}
