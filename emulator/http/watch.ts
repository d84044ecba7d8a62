/**
 * `?watch=true` on a collection: newline-delimited WatchEvents, as kube-apiserver's watch
 * handler and cacher produce them (initial ADDED events or a resume from a resourceVersion,
 * selectors, bookmarks, sendInitialEvents, timeoutSeconds, 410 for history no longer kept).
 */
import type { Request, Response } from 'express';
import type { KubeObject } from '../resources/types.js';
import type { ApiRequest, ResourceRegistry } from '../machinery/registry.js';
import { errors } from '../machinery/status.js';
import type { WatchEvent, WatchHub } from '../machinery/watch.js';
import { toTable, parseIncludeObject } from '../machinery/table.js';
import type { Negotiated } from './negotiation.js';

export interface WatchLimits {
  /** Bookmark interval for allowWatchBookmarks, in ms. */
  bookmarkIntervalMs: number;
  /** Default stream lifetime when timeoutSeconds is absent, in ms. */
  defaultTimeoutMs: number;
}

export function serveWatch(reg: ResourceRegistry, hub: WatchHub, api: ApiRequest, req: Request, res: Response, neg: Negotiated, limits: WatchLimits, now: () => Date): void {
  const q = api.query;
  reg.validateListOptions(q, true);
  const sel = reg.parseSelection(q);
  const rvParam = q.resourceVersion as string | undefined;
  if (rvParam && !/^\d+$/.test(rvParam)) throw errors.badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rvParam)}: invalid syntax`);
  const include = neg.table ? parseIncludeObject(req.query.includeObject) : 'Object';
  const store = reg.store;
  const plural = reg.def.plural;
  const initial = q.sendInitialEvents === true || !rvParam || rvParam === '0';

  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();

  let firstTable = true;
  const encode = (type: string, object: unknown): string => {
    if (neg.table && type !== 'ERROR' && type !== 'BOOKMARK') {
      const t = toTable(reg.def, [object as KubeObject], { resourceVersion: (object as KubeObject).metadata.resourceVersion }, { include, version: neg.table.version, now: now(), withColumns: firstTable });
      firstTable = false;
      object = t;
    }
    return JSON.stringify({ type, object }) + '\n';
  };
  const write = (type: string, object: unknown) => res.write(encode(type, object));
  const bookmark = (rv: number, annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: reg.def.kind, apiVersion: reg.apiVersion, metadata });
  };

  const timers: NodeJS.Timeout[] = [];
  let lastRV = 0;
  const deliver = (e: WatchEvent) => {
    if (e.resource !== plural || e.rv <= lastRV) return;
    lastRV = e.rv;
    const now = reg.matches(e.object, sel);
    if (e.type === 'MODIFIED') {
      const before = e.previous ? reg.matches(e.previous, sel) : now;
      if (now && before) write('MODIFIED', e.object);
      else if (now) write('ADDED', e.object);
      else if (before) write('DELETED', e.object);
      return;
    }
    if (now) write(e.type, e.object);
  };

  // Subscribe first and buffer, so nothing committed between the snapshot and the live feed is lost.
  const buffered: WatchEvent[] = [];
  let live = false;
  const unsubscribe = hub.subscribe((e) => (live ? deliver(e) : buffered.push(e)), () => finish());

  if (initial) {
    const startRV = store.resourceVersion;
    for (const obj of store.list(plural)) if (reg.matches(obj, sel)) write('ADDED', obj);
    lastRV = startRV;
    if (q.sendInitialEvents === true) bookmark(startRV, { 'k8s.io/initial-events-end': 'true' });
  } else {
    const from = Number(rvParam);
    const past = hub.since(from);
    if (!past) {
      write('ERROR', errors.gone(`too old resource version: ${from} (${hub.oldestResumable})`).status);
      unsubscribe();
      res.end();
      return;
    }
    lastRV = from;
    for (const e of past) deliver(e);
  }
  for (const e of buffered) deliver(e);
  live = true;

  function finish() {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
  }
  const timeoutMs = typeof q.timeoutSeconds === 'number' && q.timeoutSeconds > 0 ? q.timeoutSeconds * 1000 : limits.defaultTimeoutMs;
  timers.push(setTimeout(finish, timeoutMs));
  if (q.allowWatchBookmarks === true) {
    const iv = setInterval(() => bookmark(lastRV), limits.bookmarkIntervalMs);
    timers.push(iv as unknown as NodeJS.Timeout);
  }
  req.on('close', finish);
  res.on('error', finish);
}
