/**
 * The recent-request log test harnesses read through `GET /_emulator/requests`: a bounded ring
 * buffer (request-logging.ts is the middleware that fills it). Part of the package's public
 * types (`emulator.requests`), so it imports nothing from Express.
 */
import { parse as parseQueryString } from 'node:querystring';
import { ADMIN_PREFIX } from '../shared-names.js';
import { BodyArena, Interned, loggedBody, MAX_ARENA_BYTES, type KeptBody } from './body-capture.js';
import type { RequestRecord } from './request-record.js';

export interface RequestFilter {
  method?: string;
  /** A path prefix. */
  path?: string;
  /** `404`, or a class such as `4xx`. */
  status?: string;
  limit?: number;
  /** Include the admin API's own requests. */
  includeAdmin?: boolean;
  /** Only requests whose id is greater. */
  after?: number;
  /** Include the request and response bodies. */
  bodies?: boolean;
}

/**
 * What is kept per request: the raw query string and the arrival instant. Parsing and formatting
 * them waits until someone reads the log, so that logging costs the hot path almost nothing.
 */
export interface LoggedRequest extends Omit<RequestRecord, 'query' | 'time' | 'requestBody' | 'responseBody'> {
  rawQuery: string;
  /** Arrival, ms since the epoch by the emulator's clock. */
  at: number;
  /** Where the bodies are in the log's arena. */
  requestBody: KeptBody | undefined;
  responseBody: KeptBody | undefined;
}

/** The recent requests, bounded: a ring buffer, newest last. */
export class RequestLog {
  private ring: LoggedRequest[] = [];
  private next = 0;
  private lastId = 0;
  /** The kept bodies: room for every entry's two, up to MAX_ARENA_BYTES. */
  readonly bodies: BodyArena;
  /** Content types and user agents, one string each. */
  readonly contentTypes = new Interned();
  readonly userAgents = new Interned();

  /** `bodyBytes`: how much of each request and response body is kept (0: none). */
  constructor(readonly capacity = 1000, readonly bodyBytes = 16 * 1024) {
    this.bodies = new BodyArena(Math.max(bodyBytes, Math.min(MAX_ARENA_BYTES, 2 * Math.max(capacity, 1) * bodyBytes)));
  }

  /** Sets the entry's id and keeps it. */
  add(r: LoggedRequest): void {
    if (this.capacity <= 0) return; // logging turned off
    r.id = ++this.lastId;
    if (this.ring.length < this.capacity) this.ring.push(r);
    else this.ring[this.next] = r;
    this.next = (this.next + 1) % this.capacity;
  }

  clear(): void {
    this.ring = [];
    this.next = 0;
  }

  list(f: RequestFilter = {}): RequestRecord[] {
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    const method = f.method?.toUpperCase();
    const status = f.status?.toLowerCase();
    const out = ordered.filter(
      (r) =>
        (f.includeAdmin || !r.path.startsWith(ADMIN_PREFIX + '/')) &&
        (!method || r.method === method) &&
        (!f.path || r.path.startsWith(f.path)) &&
        (!status || (/^\dxx$/.test(status) ? Math.floor(r.status / 100) === Number(status[0]) : String(r.status) === status)) &&
        (f.after === undefined || r.id > f.after),
    );
    return (f.limit !== undefined ? out.slice(Math.max(out.length - f.limit, 0)) : out).map((r) => this.publicRecord(r, !!f.bodies));
  }

  /** One request with its bodies, while the log still holds it. */
  get(id: number): RequestRecord | undefined {
    const r = this.ring.find((e) => e.id === id);
    return r && this.publicRecord(r, true);
  }

  private publicRecord(e: LoggedRequest, withBodies: boolean): RequestRecord {
    const r: RequestRecord = { id: e.id, method: e.method, path: e.path, query: { ...parseQueryString(e.rawQuery) }, status: e.status, durationMs: e.durationMs, time: new Date(e.at).toISOString() };
    if (e.faults) r.faults = e.faults;
    if (e.userAgent) r.userAgent = e.userAgent;
    if (withBodies && e.requestBody) r.requestBody = loggedBody(this.bodies, e.requestBody);
    if (withBodies && e.responseBody) r.responseBody = loggedBody(this.bodies, e.responseBody);
    return r;
  }
}
