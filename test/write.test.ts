import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';

async function withOne(opts = {}) {
  const h = await startEmulator(opts);
  const created = await h.api.post(BASE).send(backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' }, { labels: { a: '1' } })).expect(201);
  return { ...h, created: created.body };
}

describe('replace (PUT)', () => {
  it('replaces with a matching resourceVersion and keeps what may not change', async () => {
    const { api, created } = await withOne();
    const body = { ...created, spec: { endpoints: [{ ip: '192.0.2.1' }], protocol: 'TLS' }, status: { conditions: [] } };
    body.metadata = { ...created.metadata, creationTimestamp: '2000-01-01T00:00:00Z', uid: undefined };
    const res = await api.put(`${BASE}/b1`).send(body).expect(200);
    expect(res.body.spec).toEqual({ endpoints: [{ ip: '192.0.2.1' }], protocol: 'tls' });
    expect(res.body.status).toEqual(created.status); // status ignored on the main resource
    expect(res.body.metadata.uid).toBe(created.metadata.uid);
    expect(res.body.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    expect(Number(res.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
  });

  it('404 when missing, 422 without resourceVersion, 409 when stale, 400 on a name mismatch', async () => {
    const { api, created } = await withOne();
    expect((await api.put(`${BASE}/missing`).send({ ...created, metadata: { ...created.metadata, name: 'missing' } })).status).toBe(404);
    const noRV = await api.put(`${BASE}/b1`).send({ ...created, metadata: { name: 'b1' } });
    expect(noRV.status).toBe(422);
    expect(noRV.body.message).toBe('backends.core.apoxy.dev "b1" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update');
    expect(noRV.body.details).toEqual({ name: 'b1', group: 'core.apoxy.dev', kind: 'backends', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be specified for an update', field: 'metadata.resourceVersion' }] });
    await api.put(`${BASE}/b1`).send({ ...created, spec: { protocol: 'h2c' } }).expect(200);
    const conflict = await api.put(`${BASE}/b1`).send({ ...created, spec: { protocol: 'tls' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');
    expect(conflict.body.message).toBe('Operation cannot be fulfilled on backends.core.apoxy.dev "b1": the object has been modified; please apply your changes to the latest version and try again');
    const mismatch = await api.put(`${BASE}/b1`).send({ ...created, metadata: { ...created.metadata, name: 'b2' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toBe('the name of the object (b2) does not match the name on the URL (b1)');
  });

  it('a no-op write bumps nothing', async () => {
    const { api, created, emulator } = await withOne();
    const rv = emulator.store.resourceVersion;
    const res = await api.put(`${BASE}/b1`).send(created).expect(200);
    expect(res.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(emulator.store.resourceVersion).toBe(rv);
  });

  it('validates the new object (a documented difference from the real server)', async () => {
    const { api, created } = await withOne();
    const res = await api.put(`${BASE}/b1`).send({ ...created, spec: { endpoints: [{ ip: 'nope' }] } });
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0].field).toBe('spec.endpoints.[0].ip');
  });
});

describe('patch', () => {
  it('merge-patch merges maps, replaces lists, deletes with null', async () => {
    const { api } = await withOne();
    const res = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/merge-patch+json')
      .send({ metadata: { labels: { a: null, b: '2' } }, spec: { endpoints: [{ fqdn: 'z.example.com' }] } }).expect(200);
    expect(res.body.metadata.labels).toEqual({ b: '2' });
    expect(res.body.spec).toEqual({ endpoints: [{ fqdn: 'z.example.com' }], protocol: 'h2' });
  });

  it('json-patch applies RFC 6902; a failed op is the real generic 422', async () => {
    const { api } = await withOne();
    const ok = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/json-patch+json')
      .send([{ op: 'test', path: '/spec/protocol', value: 'h2' }, { op: 'add', path: '/spec/endpoints/-', value: { ip: '192.0.2.9' } }]).expect(200);
    expect(ok.body.spec.endpoints).toHaveLength(2);
    const failed = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/json-patch+json').send([{ op: 'test', path: '/spec/protocol', value: 'tls' }]);
    expect(failed.status).toBe(422);
    expect(failed.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422 });
    const malformed = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/json-patch+json').send('{not json');
    expect(malformed.status).toBe(400);
  });

  it('strategic-merge-patch replaces lists and honours $patch directives', async () => {
    const { api } = await withOne();
    const res = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/strategic-merge-patch+json')
      .send({ spec: { endpoints: [{ fqdn: 'n.example.com' }] }, metadata: { labels: { $patch: 'replace', c: '3' } } }).expect(200);
    expect(res.body.spec.endpoints).toEqual([{ fqdn: 'n.example.com' }]);
    expect(res.body.metadata.labels).toEqual({ c: '3' });
  });

  it('strategic-merge-patch merges metadata.finalizers and ownerReferences by their patch strategies', async () => {
    const { api } = await withOne();
    const smp = (body: unknown) => api.patch(`${BASE}/b1`).set('Content-Type', 'application/strategic-merge-patch+json').send(body as object);
    await api.patch(`${BASE}/b1`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { finalizers: ['example.com/a'] } }).expect(200);
    expect((await smp({ metadata: { finalizers: ['example.com/b', 'example.com/a'] } }).expect(200)).body.metadata.finalizers).toEqual(['example.com/b', 'example.com/a']);
    expect((await smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a'] } }).expect(200)).body.metadata.finalizers).toEqual(['example.com/b']);
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u-1' };
    await smp({ metadata: { ownerReferences: [owner] } }).expect(200);
    const merged = await smp({ metadata: { ownerReferences: [{ uid: 'u-1', controller: true }, { ...owner, name: 'cm2', uid: 'u-2' }] } }).expect(200);
    expect(merged.body.metadata.ownerReferences).toEqual([{ ...owner, controller: true }, { ...owner, name: 'cm2', uid: 'u-2' }]);
    const deleted = await smp({ metadata: { ownerReferences: [{ uid: 'u-1', $patch: 'delete' }] } }).expect(200);
    expect(deleted.body.metadata.ownerReferences).toEqual([{ ...owner, name: 'cm2', uid: 'u-2' }]);
    // What was answered is what is stored.
    expect((await api.get(`${BASE}/b1`).expect(200)).body.metadata).toMatchObject({ finalizers: ['example.com/b'], ownerReferences: [{ ...owner, name: 'cm2', uid: 'u-2' }] });
    // An entry without its merge key is upstream's 500.
    const bad = await smp({ metadata: { ownerReferences: [{ name: 'x' }] } });
    expect([bad.status, bad.body.message]).toEqual([500, 'map: map[name:x] does not contain declared merge key: uid']);
  });

  it('other content types are 415 with the real list; a missing object 404; a stale RV 409', async () => {
    const { api, created } = await withOne();
    const res = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/json').send({});
    expect(res.status).toBe(415);
    expect(res.body.message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml');
    expect((await api.patch(`${BASE}/zz`).set('Content-Type', 'application/merge-patch+json').send({})).status).toBe(404);
    await api.patch(`${BASE}/b1`).set('Content-Type', 'application/merge-patch+json').send({ spec: { protocol: 'tls' } }).expect(200);
    const stale = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { resourceVersion: created.metadata.resourceVersion } });
    expect(stale.status).toBe(409);
  });

  it('status sent to the main resource is ignored; /status changes only status', async () => {
    const { api } = await withOne();
    const cond = { type: 'Ready', status: 'True', reason: 'Up', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' };
    const main = await api.patch(`${BASE}/b1`).set('Content-Type', 'application/merge-patch+json').send({ status: { conditions: [cond] } }).expect(200);
    expect(main.body.status).toEqual({});
    const st = await api.patch(`${BASE}/b1/status`).set('Content-Type', 'application/merge-patch+json')
      .send({ status: { conditions: [cond] }, spec: { protocol: 'h2c' }, metadata: { labels: { x: 'y' } } }).expect(200);
    expect(st.body.status.conditions).toEqual([cond]);
    expect(st.body.spec.protocol).toBe('h2');
    expect(st.body.metadata.labels).toEqual({ a: '1' });
    const got = await api.get(`${BASE}/b1/status`).expect(200);
    expect(got.body.status.conditions).toEqual([cond]);
    const put = await api.put(`${BASE}/b1/status`).send({ ...got.body, status: {}, spec: { protocol: 'zzz' } }).expect(200);
    expect(put.body.status).toEqual({});
    expect(put.body.spec.protocol).toBe('h2');
  });
});

describe('delete', () => {
  it('answers the Success Status without code', async () => {
    const { api, created } = await withOne();
    const res = await api.delete(`${BASE}/b1`).expect(200);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'b1', group: 'core.apoxy.dev', kind: 'backends', uid: created.metadata.uid } });
    await api.get(`${BASE}/b1`).expect(404);
    expect((await api.delete(`${BASE}/b1`)).status).toBe(404);
  });

  it('with finalizers, marks the object and keeps it until an update empties them', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('f', {}, { finalizers: ['example.com/hold'] })).expect(201);
    const del = await api.delete(`${BASE}/f`).expect(200);
    expect(del.body.kind).toBe('Backend');
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
    await api.get(`${BASE}/f`).expect(200);
    const again = await api.post(BASE).send(backend('f'));
    expect(again.body.message).toBe('object is being deleted: backends.core.apoxy.dev "f" already exists');
    const add = await api.patch(`${BASE}/f`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { finalizers: ['example.com/hold', 'example.com/more'] } });
    expect(add.status).toBe(422);
    await api.patch(`${BASE}/f`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { finalizers: null } }).expect(200);
    await api.get(`${BASE}/f`).expect(404);
  });

  it('DeleteOptions in the body meet the same rules as the query parameters', async () => {
    const { api } = await withOne();
    const bad = await api.delete(`${BASE}/b1`).send({ propagationPolicy: 'Sometimes' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"');
    const dry = await api.delete(`${BASE}/b1`).send({ dryRun: ['Maybe'] });
    expect(dry.body.message).toBe('DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Maybe"]: supported values: "All"');
    await api.delete(`${BASE}/b1`).send({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }).expect(200);
  });

  it('preconditions that do not match are 409 with the Kind in the message', async () => {
    const { api, created } = await withOne();
    const res = await api.delete(`${BASE}/b1`).send({ preconditions: { resourceVersion: '999' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`Operation cannot be fulfilled on Backend.core.apoxy.dev "b1": the ResourceVersion in the precondition (999) does not match the ResourceVersion in record (${created.metadata.resourceVersion}). The object might have been modified`);
  });

  it('Delete All answers the BackendList it deleted, honouring selectors; dryRun deletes nothing', async () => {
    const { api } = await startEmulator();
    for (const [n, t] of [['x1', 'a'], ['x2', 'b'], ['x3', 'a']]) await api.post(BASE).send(backend(n, {}, { labels: { t } })).expect(201);
    const dry = await api.delete(`${BASE}?labelSelector=t%3Da&dryRun=All`).expect(200);
    expect(dry.body.items).toHaveLength(2);
    expect((await api.get(BASE)).body.items).toHaveLength(3);
    const res = await api.delete(`${BASE}?labelSelector=t%3Da`).expect(200);
    expect(res.body.kind).toBe('BackendList');
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['x1', 'x3']);
    expect((await api.get(BASE)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['x2']);
  });

  it('one resourceVersion counter for the whole store, bumped by every write', async () => {
    const { api } = await startEmulator();
    const a = await api.post(BASE).send(backend('r1')).expect(201);
    const b = await api.post(BASE).send(backend('r2')).expect(201);
    expect(Number(b.body.metadata.resourceVersion)).toBe(Number(a.body.metadata.resourceVersion) + 1);
    await api.delete(`${BASE}/r1`).expect(200);
    const list = await api.get(BASE).expect(200);
    expect(Number(list.body.metadata.resourceVersion)).toBe(Number(b.body.metadata.resourceVersion) + 1);
  });
});
