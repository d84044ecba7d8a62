import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';
import { runCli, startCli } from './cli-process.js';

const ADMIN = '/_emulator';
const badRequest = (message: string | RegExp) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message: typeof message === 'string' ? message : expect.stringMatching(message) });

describe('POST /_emulator/reset', () => {
  it('empties the store, and the resourceVersion never goes backwards', async () => {
    const { api } = await startEmulator();
    for (const n of ['a', 'b', 'c']) await api.post(BASE).send(backend(n)).expect(201);
    const before = Number((await api.get(BASE).expect(200)).body.metadata.resourceVersion);
    const reset = await api.post(`${ADMIN}/reset`).expect(200);
    expect(Number(reset.body.resourceVersion)).toBeGreaterThanOrEqual(before);
    const list = await api.get(BASE).expect(200);
    expect(list.body.items).toEqual([]);
    expect(Number(list.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(before);
    const again = await api.post(BASE).send(backend('a')).expect(201);
    expect(Number(again.body.metadata.resourceVersion)).toBeGreaterThan(Number(reset.body.resourceVersion));
    const { body } = await api.get(`${ADMIN}/requests`).expect(200);
    expect(body.items.map((r: { method: string }) => r.method)).toEqual(['GET', 'POST']); // the log starts again at the reset
  });
});

describe('POST /_emulator/seed', () => {
  it('creates, updates or reports each object of a multi-document YAML or JSON body, with the Status of failures', async () => {
    const { api, emulator } = await startEmulator();
    await api.post(BASE).send(backend('kept', { endpoints: [{ fqdn: 'k.example.com' }] })).expect(201);
    const yaml = [
      'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: fresh}\nspec: {endpoints: [{fqdn: f.example.com}]}',
      'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: kept}\nspec: {endpoints: [{fqdn: changed.example.com}]}',
      'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: bad}\nspec: {endpoints: [{ip: 192.0.2.1, fqdn: a.example.com}]}',
    ].join('\n---\n');
    const res = await api.post(`${ADMIN}/seed`).set('Content-Type', 'application/yaml').send(yaml).expect(200);
    expect(res.body).toMatchObject({ created: 1, updated: 1, unchanged: 0, failed: 1 });
    expect(res.body.results.slice(0, 2)).toEqual([
      { name: 'fresh', kind: 'Backend', outcome: 'created' },
      { name: 'kept', kind: 'Backend', outcome: 'updated' },
    ]);
    expect(res.body.results[2]).toMatchObject({ name: 'bad', kind: 'Backend', outcome: 'failed', status: { kind: 'Status', reason: 'Invalid', code: 422 } });
    expect(emulator.store.get('backends', 'kept')!.spec).toMatchObject({ endpoints: [{ fqdn: 'changed.example.com' }] });

    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [backend('fresh', { endpoints: [{ fqdn: 'f.example.com' }] })] });
    const again = await api.post(`${ADMIN}/seed`).set('Content-Type', 'application/json').send(json).expect(200);
    expect(again.body.results).toEqual([{ name: 'fresh', kind: 'Backend', outcome: 'unchanged' }]);

    const broken = await api.post(`${ADMIN}/seed`).set('Content-Type', 'application/yaml').send('a: [b').expect(400);
    expect(broken.body).toEqual(badRequest(/^the manifests could not be parsed: /));
  });
});

describe('GET and PUT /_emulator/snapshot', () => {
  it('exports the whole state and imports it into another emulator, whose resourceVersion keeps increasing', async () => {
    const source = await startEmulator();
    await source.api.post(BASE).send(backend('one', undefined, { labels: { tier: 'edge' } })).expect(201);
    await source.api.post(BASE).send(backend('two')).expect(201);
    const snap = (await source.api.get(`${ADMIN}/snapshot`).expect(200)).body;
    expect(Object.keys(snap.resources.backends)).toEqual(['one', 'two']);

    const target = await startEmulator();
    for (const n of ['x', 'y', 'z', 'w']) await target.api.post(BASE).send(backend(n)).expect(201);
    const rvBefore = target.emulator.store.resourceVersion;
    const put = await target.api.put(`${ADMIN}/snapshot`).send(snap).expect(200);
    expect(Number(put.body.resourceVersion)).toBeGreaterThan(rvBefore);
    const list = (await target.api.get(BASE).expect(200)).body;
    expect(list.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['one', 'two']);
    const one = list.items[0];
    expect(one.metadata.uid).toBe(snap.resources.backends.one.metadata.uid);
    expect(one.metadata.labels).toEqual({ tier: 'edge' });
    expect(Number(one.metadata.resourceVersion)).toBeGreaterThan(rvBefore);
  });

  it('an imported object is served in the shape Go writes (empty omitempty fields gone), and the caller\'s snapshot is not frozen', async () => {
    const source = await startEmulator();
    await source.api.post(BASE).send(backend('one')).expect(201);
    const snap = (await source.api.get(`${ADMIN}/snapshot`).expect(200)).body;
    const one = snap.resources.backends.one;
    Object.assign(one.metadata, { annotations: {}, labels: {}, finalizers: [] });
    one.spec.endpoints = [{ fqdn: '', ip: '10.0.0.7' }];
    one.status = { conditions: [] };

    const target = await startEmulator();
    await target.emulator.restore(snap);
    await target.api.put(`${ADMIN}/snapshot`).send(snap).expect(200);
    const got = (await target.api.get(`${BASE}/one`).expect(200)).body;
    expect(Object.keys(got.metadata).filter((k) => ['annotations', 'labels', 'finalizers'].includes(k))).toEqual([]);
    expect(got.spec.endpoints).toEqual([{ ip: '10.0.0.7' }]);
    expect(got.status).toEqual({});
    expect(Object.isFrozen(one)).toBe(false);
  });

  it('refuses what is not a snapshot with a BadRequest Status', async () => {
    const { api } = await startEmulator();
    expect((await api.put(`${ADMIN}/snapshot`).send({ items: [] }).expect(400)).body).toEqual(badRequest(/^a snapshot is an object/));
    expect((await api.put(`${ADMIN}/snapshot`).send({ resources: { widgets: {} } }).expect(400)).body).toEqual(badRequest('snapshot: resource "widgets" is not served'));
    expect((await api.put(`${ADMIN}/snapshot`).send({ resources: { backends: { a: backend('b') } } }).expect(400)).body).toEqual(badRequest('snapshot: resources.backends.a: metadata.name must be "a"'));
    expect((await api.put(`${ADMIN}/snapshot`).set('Content-Type', 'application/json').send('{').expect(400)).body.reason).toBe('BadRequest');
  });
});

describe('GET /_emulator/requests', () => {
  it('lists recent API requests newest last, filtered by method, path, status and limit, without its own requests', async () => {
    const { api } = await startEmulator();
    await api.post(`${BASE}?fieldManager=me`).send(backend('a')).expect(201);
    await api.get(`${BASE}/a`).expect(200);
    await api.get(`${BASE}/missing`).expect(404);
    await api.get('/healthz').expect(200);
    const all = (await api.get(`${ADMIN}/requests`).expect(200)).body.items;
    expect(all.map((r: { method: string; path: string; status: number }) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST ${BASE} 201`,
      `GET ${BASE}/a 200`,
      `GET ${BASE}/missing 404`,
      'GET /healthz 200',
    ]);
    expect(all[0].query).toEqual({ fieldManager: 'me' });
    expect(all[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(new Date(all[0].time).toISOString()).toBe(all[0].time);

    const pick = async (q: string) => (await api.get(`${ADMIN}/requests?${q}`).expect(200)).body.items.map((r: { path: string; status: number }) => `${r.path} ${r.status}`);
    expect(await pick('method=post')).toEqual([`${BASE} 201`]);
    expect(await pick(`path=${encodeURIComponent(BASE + '/')}`)).toEqual([`${BASE}/a 200`, `${BASE}/missing 404`]);
    expect(await pick('status=4xx')).toEqual([`${BASE}/missing 404`]);
    expect(await pick('status=200&limit=1')).toEqual(['/healthz 200']);
    expect((await pick('all=true&path=/_emulator')).length).toBeGreaterThanOrEqual(5); // the five above, now included
    expect((await api.get(`${ADMIN}/requests?limit=x`).expect(400)).body).toEqual(badRequest('limit must be a non-negative integer, got "x"'));
    await api.delete(`${ADMIN}/requests`).expect(200);
    expect(await pick('')).toEqual([]);
  });

  it('keeps only the most recent requests', async () => {
    const { api } = await startEmulator({ requestLogSize: 3 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) await api.get(`${BASE}/${n}`).expect(404);
    const items = (await api.get(`${ADMIN}/requests`).expect(200)).body.items;
    expect(items.map((r: { path: string }) => r.path)).toEqual([`${BASE}/c`, `${BASE}/d`, `${BASE}/e`]);
  });
});

describe('the request log keeps ids and bodies, never credentials', () => {
  it('numbers requests across clears, reads what came after an id, and gives one request with its bodies', async () => {
    const { api } = await startEmulator();
    const secret = 'tok-3c1f-very-secret';
    const sent = backend('logged');
    const created = await api.post(`${BASE}?fieldManager=me`).set('Authorization', `Bearer ${secret}`).set('X-Apoxy-API-Key', secret).set('User-Agent', 'probe/1.0').send(sent).expect(201);
    await api.get(`${BASE}/missing`).expect(404);
    const items = (await api.get(`${ADMIN}/requests`).expect(200)).body.items;
    expect(items.map((r: { id: number }) => r.id)).toEqual([1, 2]);
    expect(items[0]).not.toHaveProperty('requestBody'); // bodies only when asked
    expect(items[0].userAgent).toBe('probe/1.0');

    const one = (await api.get(`${ADMIN}/requests/1`).expect(200)).body;
    expect(one).toMatchObject({ id: 1, method: 'POST', path: BASE, status: 201 });
    expect(one.requestBody).toMatchObject({ contentType: 'application/json', bytes: Buffer.byteLength(JSON.stringify(sent)) });
    expect(JSON.parse(one.requestBody.text)).toEqual(sent);
    expect(one.responseBody.contentType).toBe('application/json');
    expect(JSON.parse(one.responseBody.text)).toEqual(created.body);
    expect(one.requestBody.truncated).toBeUndefined();
    const withBodies = (await api.get(`${ADMIN}/requests?bodies=true`).expect(200)).body.items;
    expect(withBodies[1].responseBody.text).toContain('NotFound');
    // The credentials reached the server; the log never kept them.
    expect(JSON.stringify(withBodies)).not.toContain(secret);

    expect((await api.get(`${ADMIN}/requests?after=1`).expect(200)).body.items.map((r: { path: string }) => r.path)).toEqual([`${BASE}/missing`]);
    expect((await api.get(`${ADMIN}/requests?after=2`).expect(200)).body.items).toEqual([]);
    await api.delete(`${ADMIN}/requests`).expect(200);
    await api.get(`${BASE}/again`).expect(404);
    // Ids keep rising across a clear (the admin calls above have theirs too).
    const after = (await api.get(`${ADMIN}/requests?after=2`).expect(200)).body.items;
    expect(after.map((r: { path: string }) => r.path)).toEqual([`${BASE}/again`]);
    expect(after[0].id).toBeGreaterThan(2);

    expect((await api.get(`${ADMIN}/requests/1`).expect(404)).body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, message: 'request "1" is not in the log (it keeps the last 1000)' });
    expect((await api.get(`${ADMIN}/requests/x`).expect(404)).body.reason).toBe('NotFound');
    expect((await api.get(`${ADMIN}/requests?after=-1`).expect(400)).body).toEqual(badRequest('after must be a request id (a non-negative integer), got "-1"'));
    expect((await api.post(`${ADMIN}/requests/1`).expect(405)).body.reason).toBe('MethodNotAllowed');
  });

  it('keeps only the first requestLogBodyBytes of a body (the whole size counted), binary bodies as base64, and nothing with 0', async () => {
    const { api } = await startEmulator({ requestLogBodyBytes: 64 });
    const big = backend('big', { endpoints: [{ fqdn: 'a.example.com' }], protocol: '' }, { annotations: { note: 'é'.repeat(200) } });
    await api.post(BASE).send(big).expect(201);
    await api.get('/openapi/v2').set('Accept', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf').expect(200);
    const [post, proto] = (await api.get(`${ADMIN}/requests?bodies=true`).expect(200)).body.items;
    expect(post.requestBody).toMatchObject({ bytes: Buffer.byteLength(JSON.stringify(big)), truncated: true });
    expect(Buffer.byteLength(post.requestBody.text)).toBeLessThanOrEqual(64);
    expect(JSON.stringify(big).startsWith(post.requestBody.text)).toBe(true);
    expect(post.responseBody.truncated).toBe(true);
    expect(proto.responseBody.text).toBeUndefined();
    expect(Buffer.from(proto.responseBody.base64, 'base64').length).toBe(64);
    expect(proto.responseBody.bytes).toBeGreaterThan(64);

    const none = await startEmulator({ requestLogBodyBytes: 0 });
    await none.api.post(BASE).send(big).expect(201);
    const [only] = (await none.api.get(`${ADMIN}/requests?bodies=true`).expect(200)).body.items;
    expect(only).not.toHaveProperty('requestBody');
    expect(only).not.toHaveProperty('responseBody');
  });
});

describe('the admin API', () => {
  it('answers unknown admin paths with a NotFound Status and other methods with MethodNotAllowed, apart from the Apoxy API', async () => {
    const { api } = await startEmulator();
    const res = await api.get(`${ADMIN}/nothing`).expect(404);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    await api.get(`/apis/core.apoxy.dev/v1alpha2/_emulator`).expect(404); // not an admin path
    expect((await api.get(`${ADMIN}/reset`).expect(405)).body).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
  });
});

describe('apoxy-emulator seed | snapshot | reset --target (real processes)', () => {
  it('seeds from files, exports, restores and resets a running emulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-admin-'));
    const manifests = join(dir, 'm.yaml');
    writeFileSync(manifests, 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: a}\nspec: {}\n---\napiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: b}\nspec: {endpoints: [{ip: 192.0.2.1, fqdn: a.example.com}]}\n');
    const server = await startCli(['serve', '--port', '0', '--in-memory']);
    try {
      const seeded = await runCli(['seed', '--target', server.url, manifests]);
      expect(seeded.code).toBe(1); // one object failed
      expect(seeded.stdout).toContain('created Backend "a"\n');
      expect(seeded.stdout).toContain('1 created, 0 updated, 0 unchanged, 1 failed\n');
      expect(seeded.stderr).toMatch(/^failed Backend "b": Backend\.core\.apoxy\.dev "b" is invalid: spec\.endpoints/m);

      const out = join(dir, 'snap.json');
      expect((await runCli(['snapshot', '--target', server.url, '--output', out])).code).toBe(0);
      const snap = JSON.parse(readFileSync(out, 'utf8'));
      expect(Object.keys(snap.resources.backends)).toEqual(['a']);

      const reset = await runCli(['reset', '--target', server.url]);
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(/^reset http:\/\/127\.0\.0\.1:\d+ \(resourceVersion \d+\)\n$/);
      expect((await (await fetch(server.url + BASE)).json()).items).toEqual([]);

      const restored = await runCli(['snapshot', '--target', server.url, '--restore', out]);
      expect(restored.code).toBe(0);
      expect((await (await fetch(`${server.url}${BASE}/a`)).json()).metadata.uid).toBe(snap.resources.backends.a.metadata.uid);
    } finally {
      await server.stop();
    }
  });
});
