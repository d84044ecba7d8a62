/**
 * Two compilations of openapi.yaml judge responses: the emulator's own check (emulator/openapi,
 * used by `validateResponses` in these tests) and the contract suite's (contracts/checks, with
 * its own Ajv and its own reading of the document). They are built apart so that a mistake in
 * one cannot hide behind the other; here they judge the same real responses and many broken
 * copies of them, and must agree, so a compilation bug in either shows as a disagreement.
 */
import { describe, expect, it } from 'vitest';
import { ResponseSchemas } from '../contracts/checks/response-schema.js';
import { readContractDocument } from '../contracts/openapi/document.js';
import type { Profile } from '../contracts/runner/types.js';
import { BASE, backend, startEmulator } from './harness.js';

const judge = ResponseSchemas.for(readContractDocument());
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Sample {
  operationId: string;
  status: number;
  contentType: string;
  body: unknown;
}

/** Real responses of every shape the scenarios meet: objects, lists, Tables, watch events, Statuses. */
async function samples(profile: Profile): Promise<Sample[]> {
  const { api } = await startEmulator({ profile });
  const proxy = { dynamicProxy: { dnsCacheConfig: { dnsRefreshRate: '30s', maxHosts: 10 } } };
  const web = (await api.post(BASE).send(backend('web', { endpoints: [{ fqdn: 'web.example.com' }], protocol: 'h2', ...proxy }, { labels: { tier: 'edge' }, finalizers: ['example.com/keep'] })).expect(201)).body;
  await api.post(BASE).send(backend('ip', { endpoints: [{ ip: '10.0.0.1' }], protocol: 'tls' })).expect(201);
  const condition = { type: 'Ready', status: 'True', reason: 'Up', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 };
  const withStatus = (await api.put(`${BASE}/web/status`).send({ ...web, status: { conditions: [condition] } }).expect(200)).body;
  const list = (await api.get(BASE).expect(200)).body;
  const table = (await api.get(BASE).set('Accept', TABLE).expect(200)).body;
  const tableWithObjects = (await api.get(`${BASE}?includeObject=Object`).set('Accept', TABLE).expect(200)).body;
  const notFound = (await api.get(`${BASE}/missing`).expect(404)).body;
  const invalid = (await api.post(BASE).send(backend('bad', { endpoints: [{ ip: 'nope' }], protocol: '' })).expect(422)).body;
  const conflict = (await api.put(`${BASE}/ip`).send({ ...web, metadata: { ...web.metadata, name: 'ip', resourceVersion: '1' } }).expect(409)).body;
  // The same objects through core.apoxy.dev/v1alpha: its own schemas in openapi.yaml.
  const V1ALPHA = BASE.replace('/v1alpha2/', '/v1alpha/');
  const webV1alpha = (await api.get(`${V1ALPHA}/web`).expect(200)).body;
  const listV1alpha = (await api.get(V1ALPHA).expect(200)).body;
  const list200 = (op: string, body: unknown, ct = 'application/json') => ({ operationId: op, status: 200, contentType: ct, body });
  return [
    { operationId: 'createCoreApoxyDevV1alpha2Backend', status: 201, contentType: 'application/json', body: web },
    list200('readCoreApoxyDevV1alpha2Backend', withStatus),
    list200('replaceCoreApoxyDevV1alpha2BackendStatus', withStatus),
    list200('listCoreApoxyDevV1alpha2Backend', list),
    list200('listCoreApoxyDevV1alpha2Backend', table, TABLE),
    list200('listCoreApoxyDevV1alpha2Backend', tableWithObjects, TABLE),
    list200('listCoreApoxyDevV1alpha2Backend', { type: 'MODIFIED', object: withStatus }, 'application/json;stream=watch'),
    { operationId: 'readCoreApoxyDevV1alpha2Backend', status: 404, contentType: 'application/json', body: notFound },
    { operationId: 'createCoreApoxyDevV1alpha2Backend', status: 422, contentType: 'application/json', body: invalid },
    { operationId: 'replaceCoreApoxyDevV1alpha2Backend', status: 409, contentType: 'application/json', body: conflict },
    list200('readCoreApoxyDevV1alphaBackend', webV1alpha),
    list200('listCoreApoxyDevV1alphaBackend', listV1alpha),
  ];
}

/** Copies of a body with one value replaced by one of another JSON type, at every path. */
function typeMutations(body: unknown): Array<{ path: string; body: unknown }> {
  const out: Array<{ path: string; body: unknown }> = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    const wrong = typeof value === 'string' ? [42] : typeof value === 'number' ? ['x'] : typeof value === 'boolean' ? ['x'] : value === null ? [42] : Array.isArray(value) ? [{}] : ['x', []];
    for (const w of wrong) out.push({ path: '/' + path.join('/'), body: replaceAt(body, path, w) });
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, Array.isArray(value) ? Number(k) : k]);
  };
  walk(body, []);
  return out.filter((m) => m.path !== '/'); // the root is covered by the compile test of the suite
}

function replaceAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let cur = copy;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = value;
  return copy;
}

/** Broken copies that keep every JSON type: values only the contract's finer keywords speak about. */
function valueMutations(s: Sample): Array<{ path: string; body: unknown }> {
  const b = s.body as { kind?: string; spec?: Record<string, unknown>; metadata?: Record<string, unknown> };
  if (b.kind !== 'Backend') return [];
  return [
    { path: '/spec/protocol (enum)', body: replaceAt(b, ['spec', 'protocol'], 'quic') },
    { path: '/spec/endpoints (required)', body: replaceAt(b, ['spec'], { protocol: 'h2' }) },
    { path: '/spec/endpoints/0/fqdn (pattern)', body: replaceAt(b, ['spec', 'endpoints'], [{ fqdn: 'Not_A.Name' }]) },
    { path: '/spec/dynamicProxy/dnsCacheConfig/dnsMinRefreshRate (x-minimum-duration)', body: replaceAt(b, ['spec', 'dynamicProxy'], { dnsCacheConfig: { dnsMinRefreshRate: '10ms' } }) },
    { path: '/spec/dynamicProxy/dnsCacheConfig/dnsRefreshRate (format duration)', body: replaceAt(b, ['spec', 'dynamicProxy'], { dnsCacheConfig: { dnsRefreshRate: '1d' } }) },
    { path: '/spec/dynamicProxy/dnsCacheConfig/maxHosts (maximum)', body: replaceAt(b, ['spec', 'dynamicProxy'], { dnsCacheConfig: { maxHosts: 2 ** 32 } }) },
    { path: '/metadata/creationTimestamp (format date-time)', body: replaceAt(b, ['metadata', 'creationTimestamp'], 'Jan 1 2026') },
  ];
}

describe.each(['apoxy', 'documented'] as const)('the emulator and the contract suite judge responses alike, profile %s', (profile) => {
  it('accept the real responses, and give the same verdict on every broken copy', async () => {
    const { emulator } = await startEmulator({ profile });
    const verdicts = (s: Sample, body: unknown) => ({
      suite: judge.check(s.operationId, s.status, s.contentType, body, profile).length > 0,
      emulator: emulator.validators.checkResponse(s.operationId, s.status, s.contentType, body, profile).length > 0,
    });
    let rejected = 0;
    const disagreements: string[] = [];
    for (const s of await samples(profile)) {
      expect(verdicts(s, s.body), `${s.operationId} ${s.status} ${s.contentType}`).toEqual({ suite: false, emulator: false });
      for (const m of [...typeMutations(s.body), ...valueMutations(s)]) {
        const v = verdicts(s, m.body);
        if (v.suite !== v.emulator) disagreements.push(`${s.operationId} ${s.status} ${s.contentType} ${m.path}: suite ${v.suite ? 'rejects' : 'accepts'}, emulator ${v.emulator ? 'rejects' : 'accepts'}`);
        if (v.suite) rejected++;
      }
    }
    expect(disagreements).toEqual([]);
    // Not a vacuous agreement: most broken copies are refused by both.
    expect(rejected).toBeGreaterThan(300);
  });
});
