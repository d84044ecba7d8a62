/**
 * The recent-request log test harnesses read through `GET /_emulator/requests`: a bounded ring
 * buffer, and the middleware that records every request once its response is over.
 */
import { parse as parseQueryString } from 'node:querystring';
import type { NextFunction, Request, Response } from 'express';
import type { MiddlewareModule } from '../context.js';
import { ADMIN_PREFIX, FIRED_FAULTS } from '../shared-names.js';

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  durationMs: number;
  /** When the request arrived, by the emulator's clock. */
  time: string;
  /** Ids of the fault rules that fired on it. */
  faults?: string[];
}

export interface RequestFilter {
  method?: string;
  /** A path prefix. */
  path?: string;
  /** `404`, or a class such as `4xx`. */
  status?: string;
  limit?: number;
  /** Include the admin API's own requests. */
  includeAdmin?: boolean;
}

/**
 * What is kept per request: the raw query string and the arrival instant. Parsing and formatting
 * them waits until someone reads the log, so that logging costs the hot path almost nothing.
 */
interface LoggedRequest extends Omit<RequestRecord, 'query' | 'time'> {
  rawQuery: string;
  /** Arrival, ms since the epoch by the emulator's clock. */
  at: number;
}

function publicRecord({ rawQuery, at, ...rest }: LoggedRequest): RequestRecord {
  const r: RequestRecord = { method: rest.method, path: rest.path, query: { ...parseQueryString(rawQuery) }, status: rest.status, durationMs: rest.durationMs, time: new Date(at).toISOString() };
  if (rest.faults) r.faults = rest.faults;
  return r;
}

/** The recent requests, bounded: a ring buffer, newest last. */
export class RequestLog {
  private ring: LoggedRequest[] = [];
  private next = 0;

  constructor(readonly capacity = 1000) {}

  add(r: LoggedRequest): void {
    if (this.capacity <= 0) return; // logging turned off
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
        (!status || (/^\dxx$/.test(status) ? Math.floor(r.status / 100) === Number(status[0]) : String(r.status) === status)),
    );
    return (f.limit !== undefined ? out.slice(Math.max(out.length - f.limit, 0)) : out).map(publicRecord);
  }
}

/** Mounted first: records every request once its response is over (watches included). */
export function requestLogging(log: RequestLog, clockMs: () => number): MiddlewareModule {
  return () =>
    (req: Request, res: Response, next: NextFunction) => {
      const started = performance.now();
      const at = clockMs();
      // Read now: routers rewrite req.url while they handle the request.
      const url = req.url;
      // `on`, not `once`: a response closes once, and once() costs a bound wrapper per request.
      res.on('close', () => {
        const q = url.indexOf('?');
        const rec: LoggedRequest = {
          method: req.method,
          path: q === -1 ? url : url.slice(0, q),
          rawQuery: q === -1 ? '' : url.slice(q + 1),
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          at,
        };
        const fired = res.locals[FIRED_FAULTS] as string[] | undefined;
        if (fired?.length) rec.faults = fired;
        log.add(rec);
      });
      next();
    };
}
