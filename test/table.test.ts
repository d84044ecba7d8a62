/**
 * Server-side printing and content negotiation (kube-api-semantics.md §3, §7): the Table kubectl
 * asks for on get, list and watch, includeObject, and what cannot be served (406, 415).
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BASE, backend, startEmulator } from './harness.js';

const TABLE_V1 = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const TABLE_V1BETA1 = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io';
/** What kubectl sends on get, list and watch. */
const KUBECTL_ACCEPT = `${TABLE_V1},${TABLE_V1BETA1},application/json`;
const COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name of the backend', priority: 0 },
  { name: 'Endpoints', type: 'string', format: '', description: 'Backend endpoints', priority: 0 },
  { name: 'Protocol', type: 'string', format: '', description: 'Backend protocol', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: 'Time since creation', priority: 0 },
];
const NOT_ACCEPTABLE = 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

/** An emulator whose clock the test moves. */
async function withClock() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const h = await startEmulator({ clock: () => new Date(now) });
  return { ...h, advance: (ms: number) => (now += ms) };
}

describe('Table', () => {
  it('a list with the kubectl Accept is a meta.k8s.io/v1 Table with the Backend columns and PartialObjectMetadata rows', async () => {
    const { api, advance } = await withClock();
    await api.post(BASE).send(backend('web', { endpoints: [{ fqdn: 'web.example.com' }, { ip: '10.0.0.1' }], protocol: 'H2' }, { labels: { tier: 'edge' } })).expect(201);
    await api.post(BASE).send(backend('empty', { endpoints: [], protocol: '' })).expect(201);
    advance(5 * 60_000 + 10_000);
    const res = await api.get(BASE).set('Accept', KUBECTL_ACCEPT).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.kind).toBe('Table');
    expect(res.body.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.body.metadata).toEqual({ resourceVersion: '2' });
    expect(res.body.columnDefinitions).toEqual(COLUMNS);
    expect(res.body.rows.map((r: { cells: unknown[] }) => r.cells)).toEqual([
      ['empty', 'None', '', '5m'],
      ['web', 'web.example.com,10.0.0.1', 'h2', '5m'],
    ]);
    const stored = (await api.get(`${BASE}/web`).expect(200)).body;
    expect(res.body.rows[1].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: stored.metadata });
  });

  it('Age is a short human duration: seconds, minutes, hours, days, years', async () => {
    const { api, advance } = await withClock();
    await api.post(BASE).send(backend('b1')).expect(201);
    const age = async () => (await api.get(`${BASE}/b1`).set('Accept', TABLE_V1).expect(200)).body.rows[0].cells[3];
    expect(await age()).toBe('0s');
    advance(59_000);
    expect(await age()).toBe('59s');
    advance(2 * 3600_000);
    expect(await age()).toBe('2h');
    advance(3 * 24 * 3600_000);
    expect(await age()).toBe('3d');
    advance(400 * 24 * 3600_000);
    expect(await age()).toBe('1y');
  });

  it('get of one object is a one-row Table carrying its resourceVersion', async () => {
    const { api } = await startEmulator();
    const created = (await api.post(BASE).send(backend('b1')).expect(201)).body;
    const res = await api.get(`${BASE}/b1`).set('Accept', KUBECTL_ACCEPT).expect(200);
    expect(res.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: created.metadata.resourceVersion } });
    expect(res.body.rows).toHaveLength(1);
    expect(res.body.rows[0].cells[0]).toBe('b1');
  });

  it('the v1beta1 Accept gets meta.k8s.io/v1beta1, rows included', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('b1')).expect(201);
    const res = await api.get(BASE).set('Accept', `${TABLE_V1BETA1},application/json`).expect(200);
    expect(res.body.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(res.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1' });
  });

  it('includeObject: Object gives the whole Backend, None no object, anything else 400', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('b1')).expect(201);
    const stored = (await api.get(`${BASE}/b1`).expect(200)).body;
    const object = await api.get(`${BASE}?includeObject=Object`).set('Accept', TABLE_V1).expect(200);
    expect(object.body.rows[0].object).toEqual(stored);
    const none = await api.get(`${BASE}?includeObject=None`).set('Accept', TABLE_V1).expect(200);
    expect(none.body.rows[0]).toEqual({ cells: ['b1', 'a.example.com', '', expect.any(String)] });
    const metadata = await api.get(`${BASE}/b1?includeObject=Metadata`).set('Accept', TABLE_V1).expect(200);
    expect(metadata.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    const bad = await api.get(`${BASE}?includeObject=Everything`).set('Accept', TABLE_V1).expect(400);
    expect(bad.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: 'unrecognized includeObject value: "Everything"' });
  });

  it('paging: the Table carries continue and remainingItemCount from the list', async () => {
    const { api } = await startEmulator();
    for (const n of ['a', 'b', 'c']) await api.post(BASE).send(backend(n)).expect(201);
    const res = await api.get(`${BASE}?limit=1`).set('Accept', TABLE_V1).expect(200);
    expect(res.body.rows).toHaveLength(1);
    expect(res.body.metadata.continue).toEqual(expect.any(String));
    expect(res.body.metadata.remainingItemCount).toBe(2);
  });

  it('a Table no one can serve (other version, other group, other conversion) is 406 with the real message', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('b1')).expect(201);
    for (const accept of [
      'application/json;as=Table;v=v2;g=meta.k8s.io',
      'application/json;as=Table;v=v1;g=example.com',
      'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    ]) {
      for (const path of [BASE, `${BASE}/b1`]) {
        const res = await api.get(path).set('Accept', accept);
        expect(res.status, `${accept} on ${path}`).toBe(406);
        expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406, message: NOT_ACCEPTABLE });
      }
    }
    // The same with a plain fallback is served as JSON.
    const fallback = await api.get(`${BASE}/b1`).set('Accept', 'application/json;as=Table;v=v2;g=meta.k8s.io,application/json').expect(200);
    expect(fallback.body.kind).toBe('Backend');
  });

  it('the status subresource is never printed as a Table: JSON with a fallback, 406 without', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('b1')).expect(201);
    const res = await api.get(`${BASE}/b1/status`).set('Accept', KUBECTL_ACCEPT).expect(200);
    expect(res.body.kind).toBe('Backend');
    await api.get(`${BASE}/b1/status`).set('Accept', TABLE_V1).expect(406);
  });

  it('watch with the Table Accept: each event holds a one-row Table; only the first carries the columns', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('a')).expect(201);
    await api.post(BASE).send(backend('b')).expect(201);
    const res = await api.get(`${BASE}?watch=true&timeoutSeconds=1`).set('Accept', KUBECTL_ACCEPT).buffer(true).parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c));
      r.on('end', () => cb(null, text));
    }).expect(200);
    const events = (res.body as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.kind, e.object.rows[0].cells[0]])).toEqual([['ADDED', 'Table', 'a'], ['ADDED', 'Table', 'b']]);
    expect(events[0].object.columnDefinitions).toEqual(COLUMNS);
    expect(events[1].object.columnDefinitions).toBeNull();
    expect(events[0].object.rows[0].object.kind).toBe('PartialObjectMetadata');
  });
});

describe('negotiation', () => {
  it('YAML responses, YAML request bodies, and a YAML Table', async () => {
    const { api } = await startEmulator();
    const yamlBody = 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata:\n  name: y1\nspec:\n  endpoints:\n  - fqdn: y.example.com\n  protocol: TLS\n';
    const created = await api.post(BASE).set('Content-Type', 'application/yaml').set('Accept', 'application/yaml').send(yamlBody).expect(201);
    expect(created.headers['content-type']).toMatch(/^application\/yaml/);
    const obj = parseYaml(created.text);
    expect(obj).toMatchObject({ kind: 'Backend', metadata: { name: 'y1' }, spec: { protocol: 'tls' } });
    const table = await api.get(BASE).set('Accept', 'application/yaml;as=Table;v=v1;g=meta.k8s.io').expect(200);
    expect(parseYaml(table.text)).toMatchObject({ kind: 'Table', rows: [{ cells: ['y1', 'y.example.com', 'tls', expect.any(String)] }] });
  });

  it('406 for an Accept that cannot be served, 415 for a body type that cannot be read, with the real messages', async () => {
    const { api } = await startEmulator();
    const notAcceptable = await api.get(BASE).set('Accept', 'text/html').expect(406);
    expect(notAcceptable.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: NOT_ACCEPTABLE, reason: 'NotAcceptable', code: 406 });
    const unsupported = await api.post(BASE).set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(unsupported.body).toMatchObject({
      reason: 'UnsupportedMediaType', code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    });
    await api.post(BASE).send(backend('p1')).expect(201);
    const badPatch = await api.patch(`${BASE}/p1`).set('Content-Type', 'application/json').send('{}').expect(415);
    expect(badPatch.body.message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml');
  });

  it('pretty=true indents JSON; the default for programs is compact', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('b1')).expect(201);
    const pretty = await api.get(`${BASE}/b1?pretty=true`).set('User-Agent', 'test').expect(200);
    expect(pretty.text).toMatch(/^\{\n {2}"\w+": /);
    expect(JSON.parse(pretty.text).kind).toBe('Backend');
    const compact = await api.get(`${BASE}/b1`).set('User-Agent', 'test').expect(200);
    expect(compact.text).toMatch(/^\{"\w+":"[^"]+",/);
    expect(compact.text.endsWith('}\n')).toBe(true);
  });
});
