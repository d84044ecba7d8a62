/**
 * `?watch=true` on a collection: newline-delimited WatchEvents, as kube-apiserver's watch
 * handler and cacher produce them (initial ADDED events or a resume from a resourceVersion,
 * selectors, bookmarks, sendInitialEvents, timeoutSeconds, 410 for history no longer kept).
 * Events are selected on storage-version objects and written in the watch's version, so a
 * watch through one version sees writes made through any other.
 */
import type { Request, Response } from 'express';
import type { KubeObject } from '../resources/types.js';
import type { ApiRequest, ResourceRegistry } from '../machinery/registry.js';
import type { ServedVersion } from '../machinery/served-version.js';
import { errors } from '../machinery/status.js';
import { parseResourceVersion } from '../machinery/resource-version.js';
import type { WatchEvent, WatchHub } from '../machinery/watch.js';
import { toTable, parseIncludeObject } from '../machinery/table.js';
import type { EmulatorOptions } from '../options.js';
import { CUT_WATCH_AFTER_EVENTS } from '../shared-names.js';
import { httpLimits } from './limits.js';
import type { Negotiated } from './negotiation.js';

export interface WatchLimits {
  /** Bookmark interval for allowWatchBookmarks, in ms. */
  bookmarkIntervalMs: number;
  /** Default stream lifetime when timeoutSeconds is absent, in ms. */
  defaultTimeoutMs: number;
  /** Open watch streams at once; one more is refused with 429 and Retry-After. */
  maxWatches: number;
}

/** Bookmarks every minute, streams ended after 30 minutes (kube-apiserver's defaults), unless the options say otherwise. */
export function watchLimits(options: EmulatorOptions): WatchLimits {
  return {
    bookmarkIntervalMs: options.watchBookmarkIntervalMs ?? 60_000,
    defaultTimeoutMs: 30 * 60_000,
    maxWatches: httpLimits(options.limits).maxWatches,
  };
}

export function serveWatch(reg: ResourceRegistry, version: ServedVersion, hub: WatchHub, api: ApiRequest, req: Request, res: Response, neg: Negotiated, limits: WatchLimits, now: () => Date): void {
  const q = api.query;
  // The answer kube-apiserver's priority-and-fairness filter gives when it is saturated.
  if (hub.watcherCount >= limits.maxWatches) throw errors.tooManyRequests('Too many requests, please try again later.', 1);
  reg.validateListOptions(q, true);
  const sel = reg.parseSelection(q, version);
  const rvParam = q.resourceVersion as string | undefined;
  if (rvParam) parseResourceVersion(rvParam);
  const include = neg.table ? parseIncludeObject(req.query.includeObject) : 'Object';
  const store = reg.store;
  const plural = reg.def.plural;
  // SetListOptionsDefaults with the WatchList gate on (1.34): a legacy watch from "" or "0" is a
  // watch-list (initial ADDED events); sendInitialEvents=false starts after the given RV, or now.
  const legacy = !rvParam || rvParam === '0';
  const initial = q.sendInitialEvents ?? (legacy && !q.resourceVersionMatch);
  // The initial-events-end bookmark goes only to watchers that accept bookmarks (cacher.go).
  const endBookmark = initial && q.allowWatchBookmarks === true;

  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();

  let firstTable = true;
  const present = (o: KubeObject) => version.fromStorage(o);
  const encode = (type: string, object: unknown): string => {
    if (neg.table && type === 'BOOKMARK') {
      // A bookmark under Table output is an empty Table carrying only the resourceVersion.
      const rv = (object as KubeObject).metadata.resourceVersion;
      object = toTable(reg.def, [], { resourceVersion: rv }, { include, version: neg.table.version, now: now(), withColumns: false });
    } else if (neg.table && type !== 'ERROR') {
      const t = toTable(reg.def, [object as KubeObject], { resourceVersion: (object as KubeObject).metadata.resourceVersion }, { include, version: neg.table.version, now: now(), withColumns: firstTable, present });
      firstTable = false;
      object = t;
    } else if (type !== 'ERROR' && type !== 'BOOKMARK') {
      object = present(object as KubeObject);
    }
    return JSON.stringify({ type, object }) + '\n';
  };
  // Fault injection (emulator/faults) may ask, through res.locals, for the stream to be cut after
  // N events, the way a dropped connection ends it: no final chunk, so the client sees it break.
  const cutAfter = res.locals[CUT_WATCH_AFTER_EVENTS] as number | undefined;
  let sentEvents = 0;
  let cut = false;
  const write = (type: string, object: unknown) => {
    if (cut || res.destroyed) return;
    const chunk = encode(type, object);
    if (cutAfter !== undefined && type !== 'BOOKMARK' && ++sentEvents >= cutAfter) {
      cut = true;
      res.write(chunk, () => res.destroy()); // once the last event is on the wire
      finish();
      return;
    }
    res.write(chunk);
  };
  const bookmark = (rv: number, annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: version.kind, apiVersion: version.apiVersion, metadata });
  };

  const timers: NodeJS.Timeout[] = [];
  let lastRV = 0;
  const deliver = (e: WatchEvent) => {
    if (e.resource !== plural || e.rv <= lastRV) return;
    lastRV = e.rv;
    const matches = reg.matches(e.object, sel);
    if (e.type === 'MODIFIED') {
      const matched = e.previous ? reg.matches(e.previous, sel) : matches;
      if (matches && matched) write('MODIFIED', e.object);
      else if (matches) write('ADDED', e.object);
      // Leaving the selection: the previous state, at this event's resourceVersion (cache_watcher.go).
      else if (matched) write('DELETED', { ...e.previous!, metadata: { ...e.previous!.metadata, resourceVersion: String(e.rv) } });
      return;
    }
    if (matches) write(e.type, e.object);
  };

  // Subscribe first and buffer, so nothing committed between the snapshot and the live feed is lost.
  const buffered: WatchEvent[] = [];
  let live = false;
  const unsubscribe = hub.subscribe((e) => (live ? deliver(e) : buffered.push(e)), () => finish());

  if (initial) {
    const startRV = store.resourceVersion;
    for (const obj of store.list(plural)) if (reg.matches(obj, sel)) write('ADDED', obj);
    lastRV = startRV;
    if (endBookmark) bookmark(startRV, { 'k8s.io/initial-events-end': 'true' });
  } else {
    const from = legacy ? store.resourceVersion : Number(rvParam);
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
  if (cut || res.destroyed) {
    finish(); // cut by a fault, or the client left, while the first events were sent
    return;
  }
  live = true;

  function finish() {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!cut && !res.writableEnded && !res.destroyed) res.end();
  }
  const timeoutMs = typeof q.timeoutSeconds === 'number' && q.timeoutSeconds > 0 ? q.timeoutSeconds * 1000 : limits.defaultTimeoutMs;
  timers.push(setTimeout(finish, timeoutMs));
  if (q.allowWatchBookmarks === true) {
    const iv = setInterval(() => bookmark(lastRV), limits.bookmarkIntervalMs);
    timers.push(iv as unknown as NodeJS.Timeout);
  }
  // The response closing is the client going away; the request's 'close' also fires once an
  // empty request body has been read, which is not the end of the watch.
  res.on('close', finish);
  res.on('error', finish);
}
