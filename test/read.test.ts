import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';

async function seeded() {
  const h = await startEmulator();
  const specs: [string, string, Record<string, string>][] = [
    ['a', 'h2', { tier: 'edge', app: 'shop' }],
    ['b', 'tls', { tier: 'core', app: 'shop' }],
    ['c', '', { tier: 'edge' }],
    ['d', 'h2', {}],
    ['e', 'h2c', { app: 'blog' }],
  ];
  for (const [name, protocol, labels] of specs) {
    await h.api.post(BASE).send(backend(name, { endpoints: [{ fqdn: `${name}.example.com` }], protocol }, { labels })).expect(201);
  }
  return h;
}

const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((i) => i.metadata.name);

describe('get and list', () => {
  it('serves stored objects, which are deeply frozen (so their JSON may be reused), and a changed object anew', async () => {
    const { api, emulator } = await seeded();
    const stored = emulator.store.get('backends', 'a')!;
    const frozen = (v: unknown): boolean => typeof v !== 'object' || v === null || (Object.isFrozen(v) && Object.values(v).every(frozen));
    expect(frozen(stored)).toBe(true);
    expect((await api.get(`${BASE}/a`).expect(200)).text).toBe(JSON.stringify(stored) + '\n');
    await api.patch(`${BASE}/a`).set('Content-Type', 'application/merge-patch+json').send({ spec: { protocol: 'tls' } }).expect(200);
    expect((await api.get(`${BASE}/a`).expect(200)).body.spec.protocol).toBe('tls');
    expect((await api.get(BASE).expect(200)).body.items[0].spec.protocol).toBe('tls');
  });

  it('get answers the object; a missing one the real 404', async () => {
    const { api } = await seeded();
    const res = await api.get(`${BASE}/a`).expect(200);
    expect(res.body.metadata.name).toBe('a');
    const missing = await api.get(`${BASE}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'backends.core.apoxy.dev "nope" not found',
      reason: 'NotFound', details: { name: 'nope', group: 'core.apoxy.dev', kind: 'backends' }, code: 404,
    });
  });

  it('an empty list has items [] and the store resourceVersion', async () => {
    const { api } = await startEmulator();
    const res = await api.get(BASE).expect(200);
    expect(res.body).toEqual({ kind: 'BackendList', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '0' }, items: [] });
  });

  it('lists in name order with the current resourceVersion', async () => {
    const { api, emulator } = await seeded();
    const res = await api.get(BASE).expect(200);
    expect(names(res.body)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(res.body.metadata.resourceVersion).toBe(String(emulator.store.resourceVersion));
  });

  it.each([
    ['tier=edge', ['a', 'c']],
    ['tier==edge', ['a', 'c']],
    ['tier!=edge', ['b', 'd', 'e']],
    ['tier in (edge,core)', ['a', 'b', 'c']],
    ['tier notin (edge)', ['b', 'd', 'e']],
    ['app', ['a', 'b', 'e']],
    ['!app', ['c', 'd']],
    ['app=shop,tier=core', ['b']],
  ])('labelSelector %s', async (selector, expected) => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ labelSelector: selector }).expect(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('a malformed labelSelector is a 400', async () => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ labelSelector: 'tier in (edge' });
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
  });

  it.each([
    ['metadata.name=b', ['b']],
    ['metadata.name!=b', ['a', 'c', 'd', 'e']],
    ['spec.protocol=h2', ['a', 'd']],
    ['spec.protocol==tls', ['b']],
    ['metadata.namespace=', ['a', 'b', 'c', 'd', 'e']],
    ['spec.protocol=h2,metadata.name!=a', ['d']],
  ])('fieldSelector %s', async (selector, expected) => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ fieldSelector: selector }).expect(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('an unsupported fieldSelector gets the real server\'s 400', async () => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ fieldSelector: 'spec.foo=x' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('"spec.foo" is not a known field selector');
  });

  it('pages with limit and continue, keeping the first page\'s resourceVersion', async () => {
    const { api } = await seeded();
    const p1 = await api.get(BASE).query({ limit: 2 }).expect(200);
    expect(names(p1.body)).toEqual(['a', 'b']);
    expect(p1.body.metadata.remainingItemCount).toBe(3);
    const listRV = p1.body.metadata.resourceVersion;
    await api.post(BASE).send(backend('zz')).expect(201); // a write between pages
    const p2 = await api.get(BASE).query({ limit: 2, continue: p1.body.metadata.continue }).expect(200);
    expect(names(p2.body)).toEqual(['c', 'd']);
    expect(p2.body.metadata.resourceVersion).toBe(listRV);
    const p3 = await api.get(BASE).query({ limit: 2, continue: p2.body.metadata.continue }).expect(200);
    expect(names(p3.body)).toEqual(['e', 'zz']);
    expect(p3.body.metadata.continue).toBeUndefined();
  });

  it('with a selector, pages omit remainingItemCount', async () => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ limit: 1, labelSelector: 'app' }).expect(200);
    expect(names(res.body)).toEqual(['a']);
    expect(res.body.metadata.continue).toBeDefined();
    expect(res.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('a malformed continue token is a 400', async () => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ limit: 2, continue: 'not-a-token!' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^invalid continue token: continue key is not valid/);
  });

  it('a future resourceVersion is the real 504, a non-numeric one 400', async () => {
    const { api } = await seeded();
    const future = await api.get(BASE).query({ resourceVersion: '99999' });
    expect(future.status).toBe(504);
    expect(future.body.message).toMatch(/^Timeout: Too large resource version: 99999, current: \d+$/);
    expect(future.body.details.causes).toEqual([{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
    expect((await api.get(BASE).query({ resourceVersion: 'abc' })).status).toBe(400);
    const huge = await api.get(BASE).query({ resourceVersion: '99999999999999999999' });
    expect(huge.status).toBe(400);
    expect(huge.body.message).toBe('invalid resource version: resourceVersion: Invalid value: "99999999999999999999": strconv.ParseUint: parsing "99999999999999999999": value out of range');
  });

  it('resourceVersionMatch without resourceVersion is 422 on ListOptions', async () => {
    const { api } = await seeded();
    const res = await api.get(BASE).query({ resourceVersionMatch: 'Exact' });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  });

  it('an empty resourceVersionMatch is unset; an unknown one lists the supported values as ValidateListOptions does', async () => {
    const { api } = await seeded();
    await api.get(BASE).query({ resourceVersionMatch: '' }).expect(200);
    const bad = await api.get(BASE).query({ resourceVersion: '1', resourceVersionMatch: 'Later' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Later": supported values: "Exact", "NotOlderThan", ""');
    const warned = await api.post(BASE).query({ fieldValidation: '' }).send({ metadata: { name: 'empty-fv' }, spec: { nope: 1 } }).expect(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.nope\\""'); // "" is Warn, the default
    // Where "" is no value of the enum, it is refused like any other (ValidateDryRun, ValidateDeleteOptions).
    const dry = await api.post(BASE).query({ dryRun: '' }).send({ metadata: { name: 'empty-dry' } });
    expect(dry.status).toBe(422);
    expect(dry.body.message).toBe('CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: [""]: supported values: "All"');
    const policy = await api.delete(`${BASE}/empty-fv`).query({ propagationPolicy: '' });
    expect(policy.status).toBe(422);
    // An empty integer is not "unset": strconv.ParseInt("") fails, as in the real conversion.
    const limit = await api.get(`${BASE}?limit=&limit=5`);
    expect(limit.status).toBe(400);
    expect(limit.body.message).toBe('strconv.ParseInt: parsing "": invalid syntax');
  });

  it('YAML when asked, 406 for what cannot be served', async () => {
    const { api } = await seeded();
    const yaml = await api.get(`${BASE}/a`).set('Accept', 'application/yaml').expect(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(yaml.text).toMatch(/^apiVersion: core.apoxy.dev\/v1alpha2/m);
    const nope = await api.get(`${BASE}/a`).set('Accept', 'text/html');
    expect(nope.status).toBe(406);
    expect(nope.body.message).toBe('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  });

  it('unknown methods are 405, unknown paths 404 Status', async () => {
    const { api } = await seeded();
    const post = await api.post(`${BASE}/a`).send({});
    expect(post.status).toBe(405);
    expect(post.body.reason).toBe('MethodNotAllowed');
    const other = await api.get('/apis/core.apoxy.dev/v1alpha2/widgets');
    expect(other.status).toBe(404);
    expect(other.body.message).toBe('the server could not find the requested resource');
  });
});
