/**
 * Go's encoding/json shape on every path that writes or reads an object (apoxy-backend-semantics.md
 * §2.1): empty omitempty fields are absent, fields without omitempty keep their zero value, and
 * pointers keep what they point to even when it is empty.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { BASE, backend, startEmulator } from './harness.js';

const TABLE_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const EMPTY_META = { labels: {}, annotations: {}, finalizers: [], ownerReferences: [] };
const META_KEYS = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/** No empty ObjectMeta collection is written. */
function expectNoEmptyMeta(metadata: Record<string, unknown>): void {
  for (const k of META_KEYS) expect(metadata, `metadata.${k}`).not.toHaveProperty(k);
}

describe("Go's omitempty on every write path", () => {
  it('create: empty metadata collections, an empty fqdn and empty conditions are not written; protocol and endpoints keep their shape', async () => {
    const { api } = await startEmulator();
    const created = await api.post(BASE).send({ ...backend('b1', { endpoints: [{ fqdn: '', ip: '10.0.0.7' }, {}] }, EMPTY_META), status: { conditions: [] } }).expect(201);
    expectNoEmptyMeta(created.body.metadata);
    expect(created.body.spec).toEqual({ endpoints: [{ ip: '10.0.0.7' }, {}], protocol: '' });
    expect(created.body.status).toEqual({});
    const got = await api.get(`${BASE}/b1`).expect(200);
    expect(got.body).toEqual(created.body);
    const bare = await api.post(BASE).send({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'b2' } }).expect(201);
    expect(bare.body.spec).toEqual({ endpoints: null, protocol: '' });
    expect(bare.body.status).toEqual({});
  });

  it('pointers keep an empty value: dynamicProxy {}, maxHosts 0; a value string is dropped when empty', async () => {
    const { api } = await startEmulator();
    const one = [{ fqdn: 'a.example.com' }];
    const res = await api.post(BASE).send(backend('dp', { endpoints: one, protocol: 'h2', dynamicProxy: {} })).expect(201);
    expect(res.body.spec).toEqual({ endpoints: one, protocol: 'h2', dynamicProxy: {} });
    const cfg = await api.post(BASE).send(backend('dp2', { endpoints: one, protocol: 'h2', dynamicProxy: { dnsCacheConfig: { maxHosts: 0, dnsLookupFamily: '', hostTTL: '0s' } } })).expect(201);
    expect(cfg.body.spec.dynamicProxy).toEqual({ dnsCacheConfig: { maxHosts: 0, hostTTL: '0s' } });
  });

  it('update (PUT) and every patch type leave no empty annotations, labels or finalizers behind', async () => {
    const { api } = await startEmulator();
    const created = await api.post(BASE).send(backend('b1', undefined, { labels: { a: '1' }, annotations: { note: 'x' }, finalizers: ['example.com/f'] })).expect(201);
    const merge = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { annotations: { note: null } } }).expect(200);
    expect(merge.body.metadata).not.toHaveProperty('annotations');
    expect(merge.body.metadata.labels).toEqual({ a: '1' });
    const json = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/json-patch+json').send([{ op: 'remove', path: '/metadata/labels/a' }]).expect(200);
    expect(json.body.metadata).not.toHaveProperty('labels');
    const smp = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/strategic-merge-patch+json').send({ metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/f'] } }).expect(200);
    expectNoEmptyMeta(smp.body.metadata);
    const put = await api.put(`${BASE}/b1`).send({ ...created.body, metadata: { ...smp.body.metadata, ...EMPTY_META }, spec: { endpoints: [{ fqdn: 'a.example.com', ip: '' }], protocol: 'h2' } }).expect(200);
    expectNoEmptyMeta(put.body.metadata);
    expect(put.body.spec.endpoints).toEqual([{ fqdn: 'a.example.com' }]);
    expect((await api.get(`${BASE}/b1`).expect(200)).body).toEqual(put.body);
  });

  it('server-side apply: what it sends and what it leaves are both in Go shape', async () => {
    const { api } = await startEmulator();
    const apply = (body: unknown) => api.patch(`${BASE}/b1?fieldManager=me`).set('Content-Type', 'application/apply-patch+yaml').send(JSON.stringify(body));
    const first = await apply({ ...backend('b1', { endpoints: [{ fqdn: 'a.example.com', ip: '' }], protocol: 'h2' }, { labels: { a: '1' }, annotations: {} }) }).expect(201);
    expect(first.body.metadata).not.toHaveProperty('annotations');
    expect(first.body.spec.endpoints).toEqual([{ fqdn: 'a.example.com' }]);
    // Applying without the label it owned removes it, and with it the map.
    const second = await apply(backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' })).expect(200);
    expect(second.body.metadata).not.toHaveProperty('labels');
  });

  it('status: empty conditions are not written; a condition gets its non-omitempty fields and loses a zero observedGeneration', async () => {
    const { api } = await startEmulator();
    const created = await api.post(BASE).send(backend('b1')).expect(201);
    const emptied = await api.put(`${BASE}/b1/status`).send({ ...created.body, status: { conditions: [] } }).expect(200);
    expect(emptied.body.status).toEqual({});
    const cond = { type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', observedGeneration: 0 };
    const patched = await api.patch(`${BASE}/b1/status`).set('Content-Type', 'application/merge-patch+json').send({ status: { conditions: [cond] } }).expect(200);
    expect(patched.body.status.conditions).toEqual([{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z', reason: '', message: '' }]);
  });

  it('delete with a finalizer writes deletionGracePeriodSeconds: 0 (a pointer), and later writes keep it', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('b1', undefined, { finalizers: ['example.com/f', 'example.com/g'] })).expect(201);
    const del = await api.delete(`${BASE}/b1`).expect(200);
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    const later = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/json-patch+json').send([{ op: 'remove', path: '/metadata/finalizers/0' }]).expect(200);
    expect(later.body.metadata).toMatchObject({ deletionGracePeriodSeconds: 0, finalizers: ['example.com/g'] });
  });
});

describe("Go's omitempty on every read path", () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('lists, Tables with includeObject=Object and watch events carry the stored shape', async () => {
    emulator = await createEmulator({ validateResponses: true });
    const url = await emulator.listen(0);
    const call = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
      fetch(url + path, { method, headers: { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const created = await call('POST', BASE, backend('b1', { endpoints: [{ fqdn: '', ip: '10.0.0.7' }] }, { annotations: { note: 'x' } }));

    const ac = new AbortController();
    const res = await fetch(`${url}${BASE}?watch=true&resourceVersion=${created.metadata.resourceVersion}`, { signal: ac.signal });
    const reader = res.body!.getReader();
    await call('PATCH', `${BASE}/b1`, { metadata: { annotations: null, labels: {} } }, 'application/merge-patch+json');
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const event = JSON.parse(text.split('\n')[0]);
    expect(event.type).toBe('MODIFIED');
    expectNoEmptyMeta(event.object.metadata);
    expect(event.object.spec.endpoints).toEqual([{ ip: '10.0.0.7' }]);

    const list = await call('GET', BASE);
    expectNoEmptyMeta(list.items[0].metadata);
    expect(list.items[0].spec.endpoints).toEqual([{ ip: '10.0.0.7' }]);
    const table = await fetch(`${url}${BASE}?includeObject=Object`, { headers: { accept: TABLE_V1 } }).then((r) => r.json() as Promise<any>);
    expect(table.rows[0].object).toEqual(list.items[0]);
    const meta = await fetch(`${url}${BASE}/b1`, { headers: { accept: TABLE_V1 } }).then((r) => r.json() as Promise<any>);
    expectNoEmptyMeta(meta.rows[0].object.metadata);
  });
});
