/**
 * Watch (`?watch=true`) against a real listening emulator with streaming fetch, as
 * kube-api-semantics.md §6 describes it: start points, selectors, bookmarks, the watch-list
 * (sendInitialEvents), timeoutSeconds, the 410 ERROR event, Table watches, and ordering under
 * a burst of concurrent writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';

const PATH = '/apis/core.apoxy.dev/v1alpha2/backends';
const GV = 'core.apoxy.dev/v1alpha2';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

const running: { emulator: Emulator; streams: AbortController[] }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    for (const ac of r.streams) ac.abort();
    await r.emulator.close();
  }
});

async function start(options: EmulatorOptions = {}) {
  const emulator = await createEmulator(options);
  const url = await emulator.listen(0);
  const entry = { emulator, streams: [] as AbortController[] };
  running.push(entry);

  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(url + path, { method, headers: body === undefined ? {} : { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, any>;
    return { status: res.status, body: json };
  };
  const create = async (name: string, labels: Record<string, string> = {}) => {
    const r = await call('POST', PATH, { apiVersion: GV, kind: 'Backend', metadata: { name, labels }, spec: { endpoints: [{ fqdn: `${name}.example.com` }] } });
    expect(r.status).toBe(201);
    return r.body;
  };
  const currentRV = async () => (await call('GET', PATH)).body.metadata.resourceVersion as string;

  /** Opens a watch; events are read line by line as they arrive. */
  const watch = async (query: string, headers: Record<string, string> = {}, path = PATH) => {
    const ac = new AbortController();
    entry.streams.push(ac);
    const res = await fetch(`${url}${path}?${query}`, { headers, signal: ac.signal });
    const lines: string[] = [];
    let waiting: (() => void) | undefined;
    let ended = false;
    let partial = '';
    const pump = (async () => {
      if (res.status !== 200 || !res.body) return;
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          partial += decoder.decode(chunk, { stream: true });
          let i: number;
          while ((i = partial.indexOf('\n')) >= 0) {
            lines.push(partial.slice(0, i));
            partial = partial.slice(i + 1);
          }
          waiting?.();
        }
      } catch {
        // aborted by the test
      } finally {
        ended = true;
        waiting?.();
      }
    })();
    /** The next `n` events; fails (rather than hangs) if they do not come within the guard. */
    const take = async (n: number, guardMs = 10_000): Promise<WatchEvent[]> => {
      const deadline = Date.now() + guardMs;
      while (lines.length < n && !ended) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${lines.length}: ${lines.join('\n')}`);
        await new Promise<void>((r) => {
          waiting = r;
          setTimeout(r, 100);
        });
      }
      if (lines.length < n) throw new Error(`stream ended after ${lines.length} of ${n} events: ${lines.join('\n')}`);
      return lines.splice(0, n).map((l) => JSON.parse(l) as WatchEvent);
    };
    /** Waits for the server to end the stream; returns the events not taken yet. */
    const untilEnd = async () => {
      await pump;
      return lines.splice(0).map((l) => JSON.parse(l) as WatchEvent);
    };
    const pending = () => lines.length;
    return { res, take, untilEnd, pending, close: () => ac.abort() };
  };
  return { emulator, url, call, create, currentRV, watch };
}

describe('watch', () => {
  it('a legacy watch (no resourceVersion) starts with ADDED for every object, then live events; DELETED carries the delete RV', async () => {
    const { call, create, watch, currentRV } = await start();
    await create('a');
    await create('b');
    const w = await watch('watch=true');
    expect(w.res.status).toBe(200);
    expect(w.res.headers.get('content-type')).toBe('application/json');
    expect(w.res.headers.get('transfer-encoding')).toBe('chunked');
    const initial = await w.take(2);
    expect(initial.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    const patched = await call('PATCH', `${PATH}/a`, { metadata: { labels: { x: '1' } } }, 'application/merge-patch+json');
    const [modified] = await w.take(1);
    expect(modified.type).toBe('MODIFIED');
    expect(modified.object).toEqual(patched.body);
    await call('DELETE', `${PATH}/a`);
    const [deleted] = await w.take(1);
    expect(deleted.type).toBe('DELETED');
    expect(deleted.object.metadata.labels).toEqual({ x: '1' }); // the last state
    expect(deleted.object.metadata.resourceVersion).toBe(await currentRV()); // at the delete's RV
    expect(Number(deleted.object.metadata.resourceVersion)).toBeGreaterThan(Number(patched.body.metadata.resourceVersion));
  });

  it('resourceVersion "0" also starts with ADDED; resourceVersion=N sends only what came after N', async () => {
    const { create, watch } = await start();
    const a = await create('a');
    const b = await create('b');
    const zero = await watch('watch=1&resourceVersion=0');
    expect((await zero.take(2)).map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
    const fromA = await watch(`watch=true&resourceVersion=${a.metadata.resourceVersion}`);
    const [first] = await fromA.take(1);
    expect([first.type, first.object.metadata.name, first.object.metadata.resourceVersion]).toEqual(['ADDED', 'b', b.metadata.resourceVersion]);
    await create('c');
    expect((await fromA.take(1))[0].object.metadata.name).toBe('c');
    expect((await zero.take(1))[0].object.metadata.name).toBe('c');
  });

  it('label and field selectors filter events; entering is ADDED and leaving is DELETED with the previous state', async () => {
    const { call, create, watch, currentRV } = await start();
    await create('a', { tier: 'edge' });
    await create('b');
    const byLabel = await watch(`watch=true&resourceVersion=${await currentRV()}&labelSelector=${encodeURIComponent('tier=edge')}`);
    const byName = await watch(`watch=true&resourceVersion=${await currentRV()}&fieldSelector=${encodeURIComponent('metadata.name=b')}`);
    await call('PATCH', `${PATH}/b`, { metadata: { labels: { tier: 'edge' } } }, 'application/merge-patch+json');
    const left = await call('PATCH', `${PATH}/a`, { metadata: { labels: { tier: 'core' } } }, 'application/merge-patch+json');
    const events = await byLabel.take(2);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
    expect(events[1].object.metadata.labels).toEqual({ tier: 'edge' });
    expect(events[1].object.metadata.resourceVersion).toBe(left.body.metadata.resourceVersion);
    const named = await byName.take(1);
    expect([named[0].type, named[0].object.metadata.name]).toEqual(['MODIFIED', 'b']);
    // Events arrive in order, so if "a" or "c" had reached the name-selected watch, they would come first.
    await create('c');
    await call('PATCH', `${PATH}/b`, { metadata: { labels: { x: '1' } } }, 'application/merge-patch+json');
    const next = await byName.take(1);
    expect([next[0].type, next[0].object.metadata.name, next[0].object.metadata.labels]).toEqual(['MODIFIED', 'b', { tier: 'edge', x: '1' }]);
  });

  it('timeoutSeconds ends the stream cleanly, without an ERROR event', async () => {
    const { create, watch } = await start();
    await create('a');
    const w = await watch('watch=true&timeoutSeconds=1');
    const events = await w.untilEnd();
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('allowWatchBookmarks sends bookmarks of the watched kind carrying only the resourceVersion', async () => {
    const { create, watch, currentRV } = await start({ watchBookmarkIntervalMs: 50 });
    await create('a');
    const rv = await currentRV();
    const w = await watch(`watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    const [bookmark] = await w.take(1);
    expect(bookmark).toEqual({ type: 'BOOKMARK', object: { kind: 'Backend', apiVersion: GV, metadata: { resourceVersion: rv } } });
    const table = await watch(`watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`, { accept: TABLE_ACCEPT });
    expect((await table.take(1))[0]).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: rv }, columnDefinitions: null, rows: [] },
    });
    const plain = await watch(`watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    expect(await plain.untilEnd()).toEqual([]); // no bookmarks unless asked for
  });

  it('sendInitialEvents=true (client-go watch-list) ends the initial ADDED events with the initial-events-end bookmark', async () => {
    const { create, watch, currentRV } = await start();
    await create('a');
    await create('b');
    const rv = await currentRV();
    // client-go sends no resourceVersion on its first watch-list.
    const w = await watch('watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30');
    const events = await w.take(3);
    expect(events.slice(0, 2).map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    expect(events[2]).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Backend', apiVersion: GV, metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
    await create('c');
    expect((await w.take(1))[0].object.metadata.name).toBe('c');
  });

  it('sendInitialEvents=false starts from now, without initial events', async () => {
    const { create, watch } = await start();
    await create('a');
    const w = await watch('watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan');
    await create('b');
    expect((await w.take(1)).map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'b']]);
  });

  it('parameter errors are ordinary 4xx answers before any stream starts', async () => {
    const { url } = await start();
    const get = async (q: string) => {
      const res = await fetch(`${url}${PATH}?${q}`);
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const noMatch = await get('watch=true&sendInitialEvents=true');
    expect(noMatch.status).toBe(422);
    expect(noMatch.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    const matchAlone = await get('watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan');
    expect(matchAlone.status).toBe(422);
    expect(matchAlone.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
    const badRV = await get('watch=true&resourceVersion=abc');
    expect(badRV.status).toBe(400);
    expect(badRV.body.message).toBe('invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax');
    const badSelector = await get(`watch=true&fieldSelector=${encodeURIComponent('spec.foo=x')}`);
    expect(badSelector.status).toBe(400);
    expect(badSelector.body.message).toBe('"spec.foo" is not a known field selector');
  });

  it('a resourceVersion older than the retained history: 200, one 410 ERROR event, then the end', async () => {
    const { create, watch } = await start({ watchHistory: 3 });
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) await create(n);
    const w = await watch('watch=true&resourceVersion=1');
    expect(w.res.status).toBe(200);
    expect(await w.untilEnd()).toEqual([
      { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (3)', reason: 'Expired', code: 410 } },
    ]);
    // The oldest resumable version still works.
    const ok = await watch('watch=true&resourceVersion=3');
    expect((await ok.take(3)).map((e) => e.object.metadata.name)).toEqual(['d', 'e', 'f']);
  });

  it('Table watches: every object is a Table, and only the first carries columnDefinitions', async () => {
    const { create, watch } = await start();
    await create('a');
    const w = await watch('watch=true', { accept: TABLE_ACCEPT });
    await create('b');
    const [first, second] = await w.take(2);
    expect(first.type).toBe('ADDED');
    expect(first.object.kind).toBe('Table');
    expect(first.object.apiVersion).toBe('meta.k8s.io/v1');
    expect(first.object.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Endpoints', 'Protocol', 'Age']);
    expect(first.object.rows[0].cells[0]).toBe('a');
    expect(first.object.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(second.object.kind).toBe('Table');
    expect(second.object.columnDefinitions).toBeNull();
    expect(second.object.rows[0].cells[0]).toBe('b');
  });

  it('under a burst of concurrent writes every watcher gets every event exactly once, in resourceVersion order', async () => {
    const { call, watch, currentRV } = await start();
    const rv = await currentRV();
    const watchers = await Promise.all(Array.from({ length: 10 }, () => watch(`watch=true&resourceVersion=${rv}`)));
    const WRITES = 300;
    const results = await Promise.all(
      Array.from({ length: WRITES }, (_, i) =>
        call('POST', PATH, { apiVersion: GV, kind: 'Backend', metadata: { name: `b${i}` }, spec: { endpoints: [{ fqdn: `b${i}.example.com` }] } }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const committed = results.map((r) => r.body.metadata.resourceVersion as string).sort((x, y) => Number(x) - Number(y));
    // One more write after all of them: events come in resourceVersion order, so a late
    // duplicate of any of the burst would arrive before it.
    const last = await call('POST', PATH, { apiVersion: GV, kind: 'Backend', metadata: { name: 'last' }, spec: { endpoints: [{ fqdn: 'last.example.com' }] } });
    expect(last.status).toBe(201);
    for (const w of watchers) {
      const events = await w.take(WRITES + 1);
      expect(events.pop()!.object.metadata.name).toBe('last');
      const rvs = events.map((e) => e.object.metadata.resourceVersion as string);
      expect(events.every((e) => e.type === 'ADDED')).toBe(true);
      expect(rvs).toEqual(committed); // all of them, once each, ascending
      expect(new Set(events.map((e) => e.object.metadata.name)).size).toBe(WRITES);
      expect(w.pending()).toBe(0);
    }
  });
});

describe('watch across versions (one store, v1alpha converted)', () => {
  const V1ALPHA = '/apis/core.apoxy.dev/v1alpha/backends';
  const GV1 = 'core.apoxy.dev/v1alpha';

  it('a watch through v1alpha sees writes made through v1alpha2, as v1alpha objects', async () => {
    const { call, watch } = await start();
    const w = await watch('watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan', {}, V1ALPHA);
    const [end] = await w.take(1);
    expect(end).toMatchObject({ type: 'BOOKMARK', object: { kind: 'Backend', apiVersion: GV1, metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    // Stored with endpoints null (v1alpha2); v1alpha shows [].
    const created = await call('POST', PATH, { apiVersion: GV, kind: 'Backend', metadata: { name: 'a' }, spec: {} });
    const patched = await call('PATCH', `${PATH}/a`, { spec: { protocol: 'h2' } }, 'application/merge-patch+json');
    await call('DELETE', `${PATH}/a`);
    const events = await w.take(3);
    expect(events.map((e) => [e.type, e.object.apiVersion, e.object.metadata.uid, e.object.spec.endpoints])).toEqual([
      ['ADDED', GV1, created.body.metadata.uid, []],
      ['MODIFIED', GV1, created.body.metadata.uid, []],
      ['DELETED', GV1, created.body.metadata.uid, []],
    ]);
    expect(events[1].object).toEqual({ ...patched.body, apiVersion: GV1, spec: { endpoints: [], protocol: 'h2' } });
    expect(Number(events[2].object.metadata.resourceVersion)).toBeGreaterThan(Number(patched.body.metadata.resourceVersion));
  });

  it('a watch through v1alpha2 sees writes made through v1alpha, as the stored v1alpha2 objects', async () => {
    const { call, watch, currentRV } = await start();
    const w = await watch(`watch=true&resourceVersion=${await currentRV()}`);
    const created = await call('POST', V1ALPHA, { apiVersion: GV1, kind: 'Backend', metadata: { name: 'a' }, spec: { protocol: 'TLS' } });
    expect(created.status).toBe(201);
    await call('PATCH', `${V1ALPHA}/a`, { metadata: { labels: { x: '1' } } }, 'application/merge-patch+json');
    await call('DELETE', `${V1ALPHA}/a`);
    const events = await w.take(3);
    expect(events.map((e) => [e.type, e.object.apiVersion, e.object.metadata.uid])).toEqual([
      ['ADDED', GV, created.body.metadata.uid],
      ['MODIFIED', GV, created.body.metadata.uid],
      ['DELETED', GV, created.body.metadata.uid],
    ]);
    // Created through v1alpha without endpoints: stored with [] by the conversion.
    expect(events[0].object.spec).toEqual({ endpoints: [], protocol: 'tls' });
    expect(events[1].object.metadata.labels).toEqual({ x: '1' });
  });

  it('a Table watch through v1alpha with includeObject=Object carries v1alpha objects', async () => {
    const { create, watch } = await start();
    await create('a');
    const w = await watch('watch=true&includeObject=Object', { accept: TABLE_ACCEPT }, V1ALPHA);
    const [first] = await w.take(1);
    expect(first.object.kind).toBe('Table');
    expect(first.object.rows[0].cells.slice(0, 2)).toEqual(['a', 'a.example.com']);
    expect(first.object.rows[0].object).toMatchObject({ kind: 'Backend', apiVersion: GV1, metadata: { name: 'a' } });
  });
});
