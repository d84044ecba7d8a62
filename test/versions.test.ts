/**
 * core.apoxy.dev/v1alpha served from the same store as v1alpha2 (apoxy-backend-semantics.md §1.2,
 * §4): one uid and one resourceVersion sequence per object whichever version writes or reads it,
 * the conversion (a straight copy, except a null endpoints list becomes [] either way), v1alpha's
 * defaulting with v1alpha2's validation, managedFields recording the version of each write,
 * server-side apply through both versions on one object, and the version checks of the decoder.
 * Watches across versions are in watch.test.ts; real clients in client-node.test.ts and
 * kubectl.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';

const V1ALPHA = '/apis/core.apoxy.dev/v1alpha/backends';
const GV1 = 'core.apoxy.dev/v1alpha';
const GV2 = 'core.apoxy.dev/v1alpha2';
const APPLY = 'application/apply-patch+yaml';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const inV1alpha = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({ ...backend(name, spec, metadata), apiVersion: GV1 });

describe('v1alpha and v1alpha2 share one store', () => {
  it('a create through v1alpha answers in v1alpha and reads back through v1alpha2 with the same uid and resourceVersion', async () => {
    const { api } = await startEmulator();
    const created = await api.post(V1ALPHA).send(inV1alpha('a', { protocol: 'H2C' })).expect(201);
    // v1alpha's Default() lowercases protocol; the missing endpoints became [] on conversion.
    expect(created.body).toMatchObject({ kind: 'Backend', apiVersion: GV1, spec: { endpoints: [], protocol: 'h2c' }, status: {} });
    expect(Object.keys(created.body)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    const stored = await api.get(`${BASE}/a`).expect(200);
    expect(stored.body).toEqual({ ...created.body, apiVersion: GV2 }); // stored with endpoints: []
    const again = await api.get(`${V1ALPHA}/a`).expect(200);
    expect(again.body).toEqual(created.body);
  });

  it('a v1alpha2 object stored with endpoints null reads as endpoints [] through v1alpha, in objects and lists', async () => {
    const { api } = await startEmulator();
    const created = await api.post(BASE).send(backend('a', {})).expect(201);
    expect(created.body.spec).toEqual({ endpoints: null, protocol: '' });
    const got = await api.get(`${V1ALPHA}/a`).expect(200);
    expect(got.body).toEqual({ ...created.body, apiVersion: GV1, spec: { endpoints: [], protocol: '' } });
    const list = await api.get(V1ALPHA).expect(200);
    expect(list.body).toEqual({ kind: 'BackendList', apiVersion: GV1, metadata: { resourceVersion: created.body.metadata.resourceVersion }, items: [got.body] });
    // Reading converts nothing in the store.
    expect((await api.get(`${BASE}/a`).expect(200)).body).toEqual(created.body);
  });

  it('one resourceVersion sequence: writes through either version follow each other, and a delete through one is gone in the other', async () => {
    const { api } = await startEmulator();
    const a = await api.post(BASE).send(backend('a')).expect(201);
    const b = await api.post(V1ALPHA).send(inV1alpha('b')).expect(201);
    expect(Number(b.body.metadata.resourceVersion)).toBe(Number(a.body.metadata.resourceVersion) + 1);
    const both = await api.get(BASE).expect(200);
    expect(both.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b']);
    expect(both.body.metadata.resourceVersion).toBe(b.body.metadata.resourceVersion);
    const removed = await api.delete(`${V1ALPHA}/a`).expect(200);
    expect(removed.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'a', group: 'core.apoxy.dev', kind: 'backends', uid: a.body.metadata.uid } });
    await api.get(`${BASE}/a`).expect(404);
    // Delete All through v1alpha answers a v1alpha BackendList of what it deleted.
    const all = await api.delete(V1ALPHA).expect(200);
    expect(all.body.apiVersion).toBe(GV1);
    expect(all.body.items.map((i: { apiVersion: string; metadata: { uid: string } }) => [i.apiVersion, i.metadata.uid])).toEqual([[GV1, b.body.metadata.uid]]);
    expect((await api.get(BASE).expect(200)).body.items).toEqual([]);
  });

  it('PUT, patches and the status subresource through v1alpha change the one stored object', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('a', {})).expect(201);
    // A JSON patch through v1alpha sees endpoints [] (the stored null converted): appending works.
    const appended = await api
      .patch(`${V1ALPHA}/a`)
      .set('Content-Type', 'application/json-patch+json')
      .send([{ op: 'add', path: '/spec/endpoints/-', value: { ip: '10.0.0.7' } }])
      .expect(200);
    expect(appended.body).toMatchObject({ apiVersion: GV1, spec: { endpoints: [{ ip: '10.0.0.7' }] } });
    // Through v1alpha2 the same patch on a null list is refused: the patch saw another version.
    await api.post(BASE).send(backend('n', {})).expect(201);
    await api.patch(`${BASE}/n`).set('Content-Type', 'application/json-patch+json').send([{ op: 'add', path: '/spec/endpoints/-', value: { ip: '10.0.0.7' } }]).expect(422);

    // Strategic merge through v1alpha follows v1alpha's schema: finalizers merge.
    await api.patch(`${V1ALPHA}/a`).set('Content-Type', 'application/strategic-merge-patch+json').send({ metadata: { finalizers: ['example.com/a'] } }).expect(200);
    const smp = await api.patch(`${V1ALPHA}/a`).set('Content-Type', 'application/strategic-merge-patch+json').send({ metadata: { finalizers: ['example.com/b'] } }).expect(200);
    expect([...smp.body.metadata.finalizers].sort()).toEqual(['example.com/a', 'example.com/b']);
    await api.patch(`${V1ALPHA}/a`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { finalizers: null } }).expect(200);

    const merged = await api.patch(`${V1ALPHA}/a`).set('Content-Type', 'application/merge-patch+json').send({ spec: { protocol: 'TLS' } }).expect(200);
    expect(merged.body.spec.protocol).toBe('tls');
    const current = (await api.get(`${BASE}/a`).expect(200)).body;
    expect(current.spec).toEqual({ endpoints: [{ ip: '10.0.0.7' }], protocol: 'tls' });

    const put = await api.put(`${V1ALPHA}/a`).send({ ...current, apiVersion: GV1, spec: { ...current.spec, protocol: 'h2' } }).expect(200);
    expect(put.body).toMatchObject({ apiVersion: GV1, metadata: { uid: current.metadata.uid }, spec: { protocol: 'h2' } });
    expect(Number(put.body.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));

    const conditions = [{ type: 'Ready', status: 'True', reason: 'R', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' }];
    const status = await api.put(`${V1ALPHA}/a/status`).send({ ...put.body, status: { conditions } }).expect(200);
    expect(status.body).toMatchObject({ apiVersion: GV1, status: { conditions } });
    expect((await api.get(`${V1ALPHA}/a/status`).expect(200)).body).toEqual(status.body);
    const statusPatched = await api.patch(`${V1ALPHA}/a/status`).set('Content-Type', 'application/merge-patch+json').send({ status: { conditions: [] } }).expect(200);
    expect(statusPatched.body.status).toEqual({}); // conditions is omitempty
    expect((await api.get(`${BASE}/a`).expect(200)).body.status).toEqual({});
  });

  it('dry run through v1alpha answers in v1alpha and stores nothing', async () => {
    const { api } = await startEmulator();
    const dry = await api.post(`${V1ALPHA}?dryRun=All`).send(inV1alpha('a')).expect(201);
    expect(dry.body).toMatchObject({ apiVersion: GV1, spec: { endpoints: [] } });
    expect(dry.body.metadata.resourceVersion).toBeUndefined();
    await api.get(`${BASE}/a`).expect(404);
  });
});

describe('requests in v1alpha meet v1alpha2 validation and v1alpha decoding', () => {
  it('validation errors are the same, field paths included', async () => {
    const { api } = await startEmulator();
    const bad = { endpoints: [{ ip: '1.2.3' }] };
    const one = await api.post(V1ALPHA).send(inV1alpha('a', bad)).expect(422);
    const two = await api.post(BASE).send(backend('a', bad)).expect(422);
    expect(one.body).toEqual(two.body);
    expect(one.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "1.2.3": invalid ip address', field: 'spec.endpoints.[0].ip' }]);
  });

  it('a body whose apiVersion is not the URL\'s is kube-apiserver\'s 400, on create, replace and apply', async () => {
    const { api } = await startEmulator();
    const post = await api.post(V1ALPHA).send(backend('a')).expect(400);
    expect(post.body).toMatchObject({ reason: 'BadRequest', message: `the API version in the data (${GV2}) does not match the expected API version (${GV1})` });
    const back = await api.post(BASE).send(inV1alpha('a')).expect(400);
    expect(back.body.message).toBe(`the API version in the data (${GV1}) does not match the expected API version (${GV2})`);
    const created = (await api.post(V1ALPHA).send(inV1alpha('a')).expect(201)).body;
    const put = await api.put(`${V1ALPHA}/a`).send({ ...created, apiVersion: GV2 }).expect(400);
    expect(put.body.message).toBe(`the API version in the data (${GV2}) does not match the expected API version (${GV1})`);
    const apply = await api.patch(`${V1ALPHA}/a?fieldManager=ci`).set('Content-Type', APPLY).send(JSON.stringify(backend('a'))).expect(400);
    expect(apply.body.message).toBe(`Incorrect version specified in apply patch. Specified patch version: ${GV2}, expected: ${GV1}`);
  });

  it('decode errors and strict field validation name version v1alpha', async () => {
    const { api } = await startEmulator();
    const typed = await api.post(V1ALPHA).send(inV1alpha('a', { endpoints: {} })).expect(400);
    expect(typed.body.message).toMatch(/^Backend in version "v1alpha" cannot be handled as a Backend: json: cannot unmarshal object into Go struct field /);
    const strict = await api.post(`${V1ALPHA}?fieldValidation=Strict`).send(inV1alpha('a', { foo: 1 })).expect(400);
    expect(strict.body.message).toBe('Backend in version "v1alpha" cannot be handled as a Backend: strict decoding error: unknown field "spec.foo"');
    const warned = await api.post(V1ALPHA).send(inV1alpha('a', { foo: 1 })).expect(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
  });

  it('field selectors: v1alpha registers none of its own, so spec.protocol is refused with apimachinery\'s default message', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('a', { protocol: 'h2' })).expect(201);
    await api.post(BASE).send(backend('b', { protocol: 'tls' })).expect(201);
    const byName = await api.get(`${V1ALPHA}?fieldSelector=metadata.name%3Db`).expect(200);
    expect(byName.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['b']);
    const byProtocol = await api.get(`${V1ALPHA}?fieldSelector=spec.protocol%3Dh2`).expect(400);
    expect(byProtocol.body.message).toBe('"spec.protocol" is not a known field selector: only "metadata.name", "metadata.namespace"');
    await api.delete(`${V1ALPHA}?fieldSelector=spec.protocol%3Dh2`).expect(400);
    // v1alpha2 registers spec.protocol; its unknown-field message is the short one.
    expect((await api.get(`${BASE}?fieldSelector=spec.protocol%3Dh2`).expect(200)).body.items).toHaveLength(1);
    expect((await api.get(`${BASE}?fieldSelector=spec.foo%3Dx`).expect(400)).body.message).toBe('"spec.foo" is not a known field selector');
  });
});

describe('managedFields and server-side apply across versions', () => {
  it('each write records the version it came through; an Update manager has one entry per version', async () => {
    const { api } = await startEmulator();
    const created = await api.post(`${V1ALPHA}?fieldManager=me`).send(inV1alpha('a', { protocol: 'h2' })).expect(201);
    expect(created.body.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'me', operation: 'Update', apiVersion: GV1, fieldsV1: { 'f:spec': { '.': {}, 'f:endpoints': {}, 'f:protocol': {} } } }),
    ]);
    const patched = await api.patch(`${BASE}/a?fieldManager=me`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { labels: { x: '1' } } }).expect(200);
    expect(patched.body.metadata.managedFields.map((e: { manager: string; apiVersion: string }) => [e.manager, e.apiVersion])).toEqual([
      ['me', GV1],
      ['me', GV2],
    ]);
  });

  it('apply through both versions on one object: conflicts name the owner\'s version, force moves the field, an applier keeps one entry', async () => {
    const { api } = await startEmulator();
    await api.post(`${V1ALPHA}?fieldManager=editor`).send(inV1alpha('a', { protocol: 'h2' })).expect(201);
    const clash = await api.patch(`${BASE}/a?fieldManager=ci`).set('Content-Type', APPLY).send(JSON.stringify(backend('a', { protocol: 'tls' }))).expect(409);
    expect(clash.body.message).toBe(`Apply failed with 1 conflict: conflict with "editor" using ${GV1}: .spec.protocol`);
    const forced = await api.patch(`${BASE}/a?fieldManager=ci&force=true`).set('Content-Type', APPLY).send(JSON.stringify(backend('a', { protocol: 'tls' }))).expect(200);
    expect(forced.body.metadata.managedFields.map((e: { manager: string; operation: string; apiVersion: string }) => [e.manager, e.operation, e.apiVersion])).toEqual([
      ['editor', 'Update', GV1],
      ['ci', 'Apply', GV2],
    ]);
    // The same applier through v1alpha: its Apply entry is replaced (an applier's identity has no version).
    const again = await api.patch(`${V1ALPHA}/a?fieldManager=ci`).set('Content-Type', APPLY).send(JSON.stringify(inV1alpha('a', { protocol: 'h2c' }))).expect(200);
    expect(again.body.apiVersion).toBe(GV1);
    expect(again.body.spec.protocol).toBe('h2c');
    expect(again.body.metadata.managedFields.map((e: { manager: string; operation: string; apiVersion: string }) => [e.manager, e.operation, e.apiVersion])).toEqual([
      ['editor', 'Update', GV1],
      ['ci', 'Apply', GV1],
    ]);
    // Another applier through v1alpha meets ci's field, named without a version (Apply owners are).
    const other = await api.patch(`${V1ALPHA}/a?fieldManager=bot`).set('Content-Type', APPLY).send(JSON.stringify(inV1alpha('a', { protocol: 'tls' }))).expect(409);
    expect(other.body.message).toBe('Apply failed with 1 conflict: conflict with "ci": .spec.protocol');
  });

  it('apply through v1alpha creates (201) an object stored in v1alpha2, endpoints converted', async () => {
    const { api } = await startEmulator();
    const res = await api.patch(`${V1ALPHA}/a?fieldManager=ci`).set('Content-Type', APPLY).send(`apiVersion: ${GV1}\nkind: Backend\nmetadata:\n  name: a\nspec:\n  protocol: H2\n`).expect(201);
    expect(res.body).toMatchObject({ apiVersion: GV1, spec: { endpoints: [], protocol: 'h2' } });
    expect(res.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'ci', operation: 'Apply', apiVersion: GV1, fieldsV1: { 'f:spec': { '.': {}, 'f:protocol': {} } } })]);
    expect((await api.get(`${BASE}/a`).expect(200)).body.spec).toEqual({ endpoints: [], protocol: 'h2' });
  });
});

describe('Tables through v1alpha', () => {
  it('cells come from the stored object; includeObject=Object rows are v1alpha objects', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('a', { protocol: 'h2' })).expect(201);
    const table = await api.get(V1ALPHA).set('Accept', TABLE).expect(200);
    expect(table.body.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 3))).toEqual([['a', 'None', 'h2']]);
    expect(table.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
    const full = await api.get(`${V1ALPHA}/a?includeObject=Object`).set('Accept', TABLE).expect(200);
    expect(full.body.rows[0].object).toMatchObject({ kind: 'Backend', apiVersion: GV1, spec: { endpoints: [], protocol: 'h2' } });
  });
});

describe('seeding', () => {
  it('manifests in v1alpha are seeded through v1alpha', async () => {
    const { api, emulator } = await startEmulator();
    const results = await emulator.seed([inV1alpha('a', { protocol: 'H2' })]);
    expect(results).toEqual([{ name: 'a', kind: 'Backend', outcome: 'created' }]);
    const stored = (await api.get(`${BASE}/a`).expect(200)).body;
    expect(stored.spec).toEqual({ endpoints: [], protocol: 'h2' });
    expect(stored.metadata.managedFields[0].apiVersion).toBe(GV1);
  });
});
