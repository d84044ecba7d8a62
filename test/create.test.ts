import { describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.js';
import { BASE, backend, startEmulator } from './harness.js';

describe('create', () => {
  it('answers 201 with system fields set and the real server defaults', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).send({
      ...backend('b1', { endpoints: [{ fqdn: 'a.example.com' }], protocol: 'H2' }),
      metadata: { name: 'b1', uid: 'client-uid', creationTimestamp: '2001-01-01T00:00:00Z', namespace: 'ns', generation: 7 },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'R', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    });
    expect(res.status).toBe(201);
    const m = res.body.metadata;
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.uid).not.toBe('client-uid');
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(m.creationTimestamp).not.toBe('2001-01-01T00:00:00Z');
    expect(m.namespace).toBeUndefined();
    expect(m.generation).toBe(7); // not reset by the real server
    expect(m.resourceVersion).toMatch(/^\d+$/);
    expect(res.body.spec.protocol).toBe('h2');
    expect(res.body.status.conditions).toHaveLength(1); // status kept on create
    expect(res.body.kind).toBe('Backend');
    expect(res.body.apiVersion).toBe('core.apoxy.dev/v1alpha2');
  });

  it('writes fields in the order of the Go types: TypeMeta, ObjectMeta, spec, status', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).send({ status: {}, spec: { protocol: '' }, metadata: { labels: { a: 'b' }, name: 'ordered' } }).expect(201);
    expect(Object.keys(res.body)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(Object.keys(res.body.metadata)).toEqual(['name', 'uid', 'resourceVersion', 'creationTimestamp', 'labels', 'managedFields']);
    expect(res.text.startsWith('{"kind":"Backend","apiVersion":"core.apoxy.dev/v1alpha2","metadata":{"name":"ordered",')).toBe(true);
  });

  it('writes the Go zero-value shape: spec.endpoints null, protocol "", status {}', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).send({ metadata: { name: 'empty' } });
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ endpoints: null, protocol: '' });
    expect(res.body.status).toEqual({});
  });

  it('generateName appends 5 characters of the Kubernetes alphabet', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).send({ metadata: { generateName: 'web-' }, spec: {} });
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('generateName retries on a collision and gives up after 8 attempts with the real message', async () => {
    // A name takes 5 draws; `draw` decides what each draw of one request returns (0: suffix bbbbb).
    let draws = 0;
    let draw = (_n: number) => 0;
    const { api } = await startEmulator({ random: () => draw(draws++) });
    const first = await api.post(BASE).send({ metadata: { generateName: 'x-' } });
    expect(first.body.metadata.name).toBe('x-bbbbb');

    draws = 0;
    const second = await api.post(BASE).send({ metadata: { generateName: 'x-' } });
    expect(second.status).toBe(409);
    expect(draws / 5).toBe(8); // eight names tried, then no more
    expect(second.body.reason).toBe('AlreadyExists');
    expect(second.body.message).toBe('backends.core.apoxy.dev "x-bbbbb" already exists, the server was not able to generate a unique name for the object');
    expect(second.body.details.retryAfterSeconds).toBe(1);
    expect(second.headers['retry-after']).toBe('1');

    // Seven collisions, then a free name: the eighth attempt is made and succeeds.
    draws = 0;
    draw = (n) => (n < 7 * 5 ? 0 : 0.99);
    const third = await api.post(BASE).send({ metadata: { generateName: 'x-' } });
    expect(third.status).toBe(201);
    expect(third.body.metadata.name).toBe('x-99999');
  });

  it('a duplicate name is 409 AlreadyExists with the real body', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('dup')).expect(201);
    const res = await api.post(BASE).send(backend('dup'));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'backends.core.apoxy.dev "dup" already exists', reason: 'AlreadyExists',
      details: { name: 'dup', group: 'core.apoxy.dev', kind: 'backends' }, code: 409,
    });
  });

  it('validates the spec before the name, and before existence', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('v1')).expect(201);
    const dupInvalid = await api.post(BASE).send(backend('v1', { endpoints: [{ ip: 'nope' }] }));
    expect(dupInvalid.status).toBe(422);
    const both = await api.post(BASE).send(backend('a/b', { endpoints: [{ ip: 'nope' }] }));
    expect(both.status).toBe(422);
    expect(both.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "nope": invalid ip address', field: 'spec.endpoints.[0].ip' }]);
  });

  it('Invalid has kind Backend, the aggregated message and one cause per error', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).send(backend('multi', { dynamicProxy: {}, endpoints: [{ ip: '1.2.3', fqdn: 'x.example.com' }, { fqdn: 'localhost' }] }));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.kind).toBe('Backend');
    expect(res.body.message).toBe(
      'Backend.core.apoxy.dev "multi" is invalid: [spec.endpoints: Forbidden: only one endpoint can be specified, spec.endpoints.[0].ip: Forbidden: ip and fqdn cannot be specified together, spec.endpoints.[0].ip: Invalid value: "1.2.3": invalid ip address, spec.endpoints.[1].fqdn: Invalid value: "localhost": should be a domain with at least two segments separated by dots]',
    );
    expect(res.body.details.causes).toHaveLength(4);
  });

  it('resourceVersion in the body gives the real server\'s 500 without a reason', async () => {
    const { api, emulator } = await startEmulator();
    const res = await api.post(BASE).send(backend('rv', undefined, { resourceVersion: '5' }));
    expect(res.status).toBe(500);
    expect(res.body.reason).toBeUndefined();
    expect(res.body.message).toBe('resourceVersion should not be set on objects to be created');
    expect(emulator.store.get('backends', 'rv')).toBeUndefined();
  });

  it('accepts names the real server accepts and refuses path-unsafe ones', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('MyBackend_1')).expect(201);
    const dot = await api.post(BASE).send(backend('..'));
    expect(dot.status).toBe(422);
    expect(dot.body.details.causes[0]).toEqual({ reason: 'FieldValueInvalid', message: `Invalid value: "..": may not be '..'`, field: 'metadata.name' });
    const none = await api.post(BASE).send({ metadata: {}, spec: {} });
    expect(none.body.message).toBe('Backend.core.apoxy.dev "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('rejects an apiVersion of another group with the real 400', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).send({ ...backend('x'), apiVersion: 'core.apoxy.dev/v1alpha' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the API version in the data (core.apoxy.dev/v1alpha) does not match the expected API version (core.apoxy.dev/v1alpha2)');
  });

  it('re-serializes Durations as Go does and rejects the forms Go rejects', async () => {
    const { api } = await startEmulator();
    const ok = await api.post(BASE).send(backend('d', { endpoints: [{ fqdn: 'a.example.com' }], dynamicProxy: { dnsCacheConfig: { hostTTL: '5m', dnsRefreshRate: '60s', dnsQueryTimeout: '1.5h', dnsMinRefreshRate: '300ms' } } }));
    expect(ok.status).toBe(201);
    expect(ok.body.spec.dynamicProxy.dnsCacheConfig).toEqual({ hostTTL: '5m0s', dnsRefreshRate: '1m0s', dnsQueryTimeout: '1h30m0s', dnsMinRefreshRate: '300ms' });
    const bad = await api.post(BASE).send(backend('d2', { endpoints: [{ fqdn: 'a.example.com' }], dynamicProxy: { dnsCacheConfig: { hostTTL: '1d' } } }));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Backend in version "v1alpha2" cannot be handled as a Backend: time: unknown unit "d" in duration "1d"');
  });

  it('fieldValidation: Warn drops unknown fields with a Warning header, Strict refuses, Ignore drops silently', async () => {
    const { api } = await startEmulator();
    const warn = await api.post(BASE).send({ ...backend('w'), spec: { protocol: '', foo: 1 } });
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(warn.body.spec.foo).toBeUndefined();
    const strict = await api.post(`${BASE}?fieldValidation=Strict`).send({ ...backend('s'), spec: { protocol: '', foo: 1, endpoints: [{ x: 1 }] } });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('Backend in version "v1alpha2" cannot be handled as a Backend: strict decoding error: unknown field "spec.foo", unknown field "spec.endpoints[0].x"');
    const ignore = await api.post(`${BASE}?fieldValidation=Ignore`).send({ ...backend('i'), spec: { protocol: '', foo: 1 } });
    expect(ignore.status).toBe(201);
    expect(ignore.headers.warning).toBeUndefined();
    const bad = await api.post(`${BASE}?fieldValidation=Loud`).send(backend('b'));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"');
  });

  it('dryRun=All validates and answers fully, stores nothing, bumps nothing', async () => {
    const { api, emulator } = await startEmulator();
    const before = emulator.store.resourceVersion;
    const res = await api.post(`${BASE}?dryRun=All`).send(backend('dry'));
    expect(res.status).toBe(201);
    expect(res.body.metadata.uid).toBeTruthy();
    expect(res.body.metadata.resourceVersion).toBeUndefined();
    expect(emulator.store.resourceVersion).toBe(before);
    await api.get(`${BASE}/dry`).expect(404);
    const invalid = await api.post(`${BASE}?dryRun=All`).send(backend('dry', { endpoints: [{ ip: 'x' }] }));
    expect(invalid.status).toBe(422);
    const badValue = await api.post(`${BASE}?dryRun=Yes`).send(backend('dry'));
    expect(badValue.body.message).toBe('CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Yes"]: supported values: "All"');
  });

  it('accepts YAML bodies and refuses other content types with the real 415', async () => {
    const { api } = await startEmulator();
    const yaml = 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata:\n  name: y\nspec:\n  protocol: TLS\n';
    const res = await api.post(BASE).set('Content-Type', 'application/yaml').send(yaml);
    expect(res.status).toBe(201);
    expect(res.body.spec.protocol).toBe('tls');
    const text = await api.post(BASE).set('Content-Type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
    expect(text.body.message).toBe('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  });

  it('reads a body without a Content-Type as JSON, as kube-apiserver does (the Python client sends none)', async () => {
    const emulator = await createEmulator();
    try {
      const url = await emulator.listen(0);
      const body = new TextEncoder().encode(JSON.stringify(backend('no-type', { protocol: 'H2' })));
      const created = await fetch(url + BASE, { method: 'POST', body });
      expect(created.headers.get('content-type')).toMatch(/^application\/json/);
      expect(created.status).toBe(201);
      const obj = await created.json();
      expect(obj.spec.protocol).toBe('h2');
      const replaced = await fetch(`${url}${BASE}/no-type`, { method: 'PUT', body: new TextEncoder().encode(JSON.stringify({ ...obj, spec: { protocol: 'tls' } })) });
      expect(replaced.status).toBe(200);
      // A patch names its type: none is a 415, as upstream.
      const patch = await fetch(`${url}${BASE}/no-type`, { method: 'PATCH', body: new TextEncoder().encode('{}') });
      expect(patch.status).toBe(415);
    } finally {
      await emulator.close();
    }
  });

  it('malformed JSON is a 400 Status, never a crash', async () => {
    const { api } = await startEmulator();
    const res = await api.post(BASE).set('Content-Type', 'application/json').send('{"metadata": ');
    expect(res.status).toBe(400);
    expect(res.body.kind).toBe('Status');
    expect(res.body.message).toBe("couldn't get version/kind; json parse error: unexpected end of JSON input");
  });
});
