/**
 * Server-side apply (application/apply-patch+yaml) and managedFields on ordinary writes, as
 * kube-api-semantics.md §4-§5 describe them.
 */
import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';

const APPLY = 'application/apply-patch+yaml';
const GV = 'core.apoxy.dev/v1alpha2';

function yamlBackend(name: string, lines: string[]): string {
  return [`apiVersion: ${GV}`, 'kind: Backend', 'metadata:', `  name: ${name}`, ...lines].join('\n') + '\n';
}

type Entry = { manager: string; operation: string; apiVersion: string; subresource?: string; fieldsV1: Record<string, unknown>; time: string; fieldsType: string };
const entryOf = (obj: { metadata: { managedFields?: Entry[] } }, manager: string, operation = 'Apply') =>
  obj.metadata.managedFields?.find((e) => e.manager === manager && e.operation === operation);

describe('server-side apply', () => {
  it('creates a missing object (201) from YAML, owned by the applier with operation Apply', async () => {
    const { api } = await startEmulator();
    const res = await api
      .patch(`${BASE}/b1?fieldManager=ci`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['  labels:', '    tier: edge', 'spec:', '  endpoints:', '  - fqdn: a.example.com', '  protocol: H2']))
      .expect(201);
    expect(res.body.spec).toEqual({ endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' });
    expect(res.body.metadata.managedFields).toEqual([
      {
        manager: 'ci',
        operation: 'Apply',
        apiVersion: GV,
        time: expect.any(String),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } }, 'f:spec': { '.': {}, 'f:endpoints': {}, 'f:protocol': {} } },
      },
    ]);
    const got = await api.get(`${BASE}/b1`).expect(200);
    expect(got.body.metadata.resourceVersion).toBe(res.body.metadata.resourceVersion);
  });

  it('accepts a JSON body and is idempotent: a second identical apply writes nothing', async () => {
    const { api } = await startEmulator();
    const body = JSON.stringify(backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'tls' }));
    const first = await api.patch(`${BASE}/b1?fieldManager=ci`).set('Content-Type', APPLY).send(body).expect(201);
    const second = await api.patch(`${BASE}/b1?fieldManager=ci`).set('Content-Type', APPLY).send(body).expect(200);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it('rejects what the real server rejects, with its messages', async () => {
    const { api } = await startEmulator();
    const noManager = await api.patch(`${BASE}/b1`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec: {}']));
    expect(noManager.status).toBe(422);
    expect(noManager.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');

    const wrongVersion = await api.patch(`${BASE}/b1?fieldManager=ci`).set('Content-Type', APPLY).send('apiVersion: core.apoxy.dev/v1\nkind: Backend\nmetadata:\n  name: b1\n');
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.message).toBe(`Incorrect version specified in apply patch. Specified patch version: core.apoxy.dev/v1, expected: ${GV}`);

    const withManaged = await api
      .patch(`${BASE}/b1?fieldManager=ci`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['  managedFields:', '  - manager: x', 'spec: {}']));
    expect(withManaged.status).toBe(400);
    expect(withManaged.body.message).toBe('metadata.managedFields must be nil');

    const otherName = await api.patch(`${BASE}/b1?fieldManager=ci`).set('Content-Type', APPLY).send(yamlBackend('b2', ['spec: {}']));
    expect(otherName.status).toBe(400);
    expect(otherName.body.message).toBe('the name of the object (b2) does not match the name on the URL (b1)');

    const unknown = await api.patch(`${BASE}/b1?fieldManager=ci`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  foo: 1']));
    expect(unknown.status).toBe(500);
    expect(unknown.body.reason).toBeUndefined();
    expect(unknown.body.message).toBe(`failed to create typed patch object (${GV}, Kind=Backend) /b1: .spec.foo: field not declared in schema`);

    const forceElsewhere = await api.patch(`${BASE}/b1?force=true`).set('Content-Type', 'application/merge-patch+json').send('{}');
    expect(forceElsewhere.status).toBe(422);
    expect(forceElsewhere.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');

    // Nothing of the above created anything.
    expect((await api.get(BASE).expect(200)).body.items).toEqual([]);
  });

  it('409 on a field another manager set to a different value, with the real message and causes', async () => {
    const { api } = await startEmulator();
    await api.post(`${BASE}?fieldManager=kubectl-client-side-apply`).send(backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' })).expect(201);
    const res = await api.patch(`${BASE}/b1?fieldManager=kubectl`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  protocol: tls']));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using ${GV}: .spec.protocol`,
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: `conflict with "kubectl-client-side-apply" using ${GV}`, field: '.spec.protocol' }] },
      code: 409,
    });
    expect((await api.get(`${BASE}/b1`)).body.spec.protocol).toBe('h2');
  });

  it('lists several conflicts by manager; an Apply owner is named without its version', async () => {
    const { api } = await startEmulator();
    await api.patch(`${BASE}/b1?fieldManager=alpha`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  protocol: h2'])).expect(201);
    await api.patch(`${BASE}/b1?fieldManager=beta`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  endpoints:', '  - fqdn: a.example.com'])).expect(200);
    const res = await api
      .patch(`${BASE}/b1?fieldManager=gamma`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['spec:', '  protocol: tls', '  endpoints:', '  - fqdn: b.example.com']));
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Apply failed with 2 conflicts: conflicts with "alpha":\n- .spec.protocol\nconflicts with "beta":\n- .spec.endpoints');
    expect(res.body.details.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "alpha"', field: '.spec.protocol' },
      { reason: 'FieldManagerConflict', message: 'conflict with "beta"', field: '.spec.endpoints' },
    ]);
  });

  it('the same value is no conflict: both managers own the field', async () => {
    const { api } = await startEmulator();
    await api.patch(`${BASE}/b1?fieldManager=alpha`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  protocol: h2'])).expect(201);
    const res = await api.patch(`${BASE}/b1?fieldManager=beta`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  protocol: H2'])).expect(200);
    expect(entryOf(res.body, 'alpha')?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:protocol': {} } });
    expect(entryOf(res.body, 'beta')?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:protocol': {} } });
    // alpha stops applying the protocol: beta still owns it, so it stays.
    const after = await api.patch(`${BASE}/b1?fieldManager=alpha`).set('Content-Type', APPLY).send(yamlBackend('b1', ['  labels:', '    a: "1"'])).expect(200);
    expect(after.body.spec.protocol).toBe('h2');
    expect(entryOf(after.body, 'alpha')?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } });
  });

  it('force=true takes the field over from its owner', async () => {
    const { api } = await startEmulator();
    await api.post(`${BASE}?fieldManager=editor`).send(backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' })).expect(201);
    const res = await api.patch(`${BASE}/b1?fieldManager=ci&force=true`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  protocol: tls'])).expect(200);
    expect(res.body.spec).toEqual({ endpoints: [{ fqdn: 'a.example.com' }], protocol: 'tls' });
    expect(entryOf(res.body, 'ci')?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:protocol': {} } });
    expect(entryOf(res.body, 'editor', 'Update')?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:endpoints': {} } });
  });

  it('removes fields the manager applied before and no longer applies', async () => {
    const { api } = await startEmulator();
    await api
      .patch(`${BASE}/b1?fieldManager=ci`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['  labels:', '    a: "1"', '    b: "2"', 'spec:', '  endpoints:', '  - fqdn: a.example.com', '  protocol: h2']))
      .expect(201);
    // Another writer also sets label b: it is shared, so it survives ci dropping it.
    await api.patch(`${BASE}/b1?fieldManager=labeler`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { labels: { b: '3' } } }).expect(200);
    const res = await api.patch(`${BASE}/b1?fieldManager=ci`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  endpoints:', '  - fqdn: a.example.com'])).expect(200);
    expect(res.body.metadata.labels).toEqual({ b: '3' });
    // The Go type has no omitempty on protocol: a removed protocol reads back as its zero value.
    expect(res.body.spec).toEqual({ endpoints: [{ fqdn: 'a.example.com' }], protocol: '' });
    expect(entryOf(res.body, 'ci')?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:endpoints': {} } });
    expect(entryOf(res.body, 'labeler', 'Update')?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:b': {} } } });
  });

  it('status.conditions is a map list: ownership per condition type, on the status subresource', async () => {
    const { api } = await startEmulator();
    const missing = await api.patch(`${BASE}/b1/status?fieldManager=ctrl`).set('Content-Type', APPLY).send(yamlBackend('b1', ['status: {}']));
    expect(missing.status).toBe(404);
    await api.post(BASE).send(backend('b1')).expect(201);
    const cond = (type: string, status: string) => [`  - type: ${type}`, `    status: "${status}"`, '    reason: R', '    message: m', '    lastTransitionTime: "2026-01-01T00:00:00Z"'];
    const a = await api
      .patch(`${BASE}/b1/status?fieldManager=ready-ctrl`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['status:', '  conditions:', ...cond('Ready', 'True')]))
      .expect(200);
    const keyed = (entryOf(a.body, 'ready-ctrl') as Entry).fieldsV1 as { 'f:status': { 'f:conditions': Record<string, unknown> } };
    expect(Object.keys(keyed['f:status']['f:conditions'])).toEqual(['.', 'k:{"type":"Ready"}']);
    expect(entryOf(a.body, 'ready-ctrl')?.subresource).toBe('status');
    // A second controller adds its own condition: merged by key, no conflict.
    const b = await api
      .patch(`${BASE}/b1/status?fieldManager=dns-ctrl`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['status:', '  conditions:', ...cond('Resolved', 'False')]))
      .expect(200);
    expect(b.body.status.conditions.map((c: { type: string }) => c.type)).toEqual(['Ready', 'Resolved']);
    // Changing the other controller's condition conflicts, naming the subresource.
    const clash = await api
      .patch(`${BASE}/b1/status?fieldManager=dns-ctrl`)
      .set('Content-Type', APPLY)
      .send(yamlBackend('b1', ['status:', '  conditions:', ...cond('Resolved', 'False'), ...cond('Ready', 'False')]));
    expect(clash.status).toBe(409);
    expect(clash.body.message).toBe('Apply failed with 1 conflict: conflict with "ready-ctrl" with subresource "status": .status.conditions[type="Ready"].status');
    // dns-ctrl stops applying its condition: only that element goes.
    const c = await api.patch(`${BASE}/b1/status?fieldManager=dns-ctrl`).set('Content-Type', APPLY).send(yamlBackend('b1', ['status: {}'])).expect(200);
    expect(c.body.status.conditions.map((x: { type: string }) => x.type)).toEqual(['Ready']);
  });

  it('dryRun=All answers like the real write and stores nothing', async () => {
    const { api } = await startEmulator();
    const res = await api.patch(`${BASE}/b1?fieldManager=ci&dryRun=All`).set('Content-Type', APPLY).send(yamlBackend('b1', ['spec:', '  protocol: h2'])).expect(201);
    expect(res.body.metadata.managedFields[0].operation).toBe('Apply');
    await api.get(`${BASE}/b1`).expect(404);
  });
});

describe('managedFields on Update operations', () => {
  it('the manager defaults to the User-Agent up to "/", and an update takes over only what it changed', async () => {
    const { api } = await startEmulator();
    const created = await api
      .post(BASE)
      .set('User-Agent', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)')
      .send(backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'h2' }, { labels: { a: '1' } }))
      .expect(201);
    expect(created.body.metadata.managedFields).toEqual([
      {
        manager: 'node-fetch',
        operation: 'Update',
        apiVersion: GV,
        time: expect.any(String),
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { '.': {}, 'f:endpoints': {}, 'f:protocol': {} } },
      },
    ]);
    const res = await api.put(`${BASE}/b1?fieldManager=kubectl-replace`).send({ ...created.body, spec: { ...created.body.spec, protocol: 'tls' } }).expect(200);
    expect(entryOf(res.body, 'node-fetch', 'Update')?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { '.': {}, 'f:endpoints': {} } });
    expect(entryOf(res.body, 'kubectl-replace', 'Update')?.fieldsV1).toEqual({ 'f:spec': { '.': {}, 'f:protocol': {} } });
    const status = await api
      .patch(`${BASE}/b1/status?fieldManager=ctrl`)
      .set('Content-Type', 'application/merge-patch+json')
      .send({ status: { conditions: [{ type: 'Ready', status: 'True', reason: 'R', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' }] } })
      .expect(200);
    const ctrl = entryOf(status.body, 'ctrl', 'Update');
    expect(ctrl?.subresource).toBe('status');
    expect(Object.keys((ctrl!.fieldsV1['f:status'] as { 'f:conditions': object })['f:conditions'])).toContain('k:{"type":"Ready"}');
  });
});
