/**
 * A small client of the admin API (`/_emulator/`), for the testing helper, the CLI's
 * seed/reset/snapshot commands (cli/admin-commands.ts) and any Node test harness. A rejection
 * is thrown as an AdminError carrying the Status the server sent.
 */
import type { RequestFilter } from './http/request-log.js';
import type { RequestRecord } from './http/request-record.js';
import type { FaultReport } from './faults/injector.js';
import type { FaultConfig, FaultRuleSpec } from './faults/rules.js';
import type { ClockState } from './simulate/clock.js';
import type { SeedResult } from './seed.js';
import type { StatusBody } from './machinery/status.js';
import { ADMIN_PREFIX } from './shared-names.js';
import type { ResetOptions } from './options.js';
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
    this.base = target.replace(/\/+$/, '') + ADMIN_PREFIX;
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

  /**
   * Empties the store and the request log, re-seeds the random source, sets a fixed clock back to
   * its start; resourceVersions keep increasing unless `restartResourceVersion` (ResetOptions).
   */
  reset(options: ResetOptions = {}): Promise<{ resourceVersion: string }> {
    return this.call('POST', options.restartResourceVersion ? '/reset?restartResourceVersion=true' : '/reset');
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
    if (filter.after !== undefined) q.set('after', String(filter.after));
    if (filter.bodies) q.set('bodies', 'true');
    const qs = q.toString();
    return (await this.call<{ items: RequestRecord[] }>('GET', `/requests${qs ? '?' + qs : ''}`)).items;
  }
  /** One logged request with its request and response bodies. */
  request(id: number): Promise<RequestRecord> {
    return this.call('GET', `/requests/${id}`);
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
  removeFault(id: string): Promise<FaultReport> {
    return this.call('DELETE', `/faults/${encodeURIComponent(id)}`);
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
