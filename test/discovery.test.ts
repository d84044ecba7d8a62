/**
 * Discovery, /version and OpenAPI v3 as kubectl and client-go request them
 * (kube-api-semantics.md §8): the exact documents, Content-Types and caching headers.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './harness.js';

const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const GV = { groupVersion: 'core.apoxy.dev/v1alpha2', version: 'v1alpha2' };
// v1alpha is served from the same store; v1alpha2, listed first, is the preferred version.
const GV_V1ALPHA = { groupVersion: 'core.apoxy.dev/v1alpha', version: 'v1alpha' };
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('discovery', () => {
  it('/api answers 404, as aggregated servers do (client-go tolerates it)', async () => {
    const { api } = await startEmulator();
    await api.get('/api').expect(404);
  });

  it('/apis without the aggregated Accept is the legacy APIGroupList', async () => {
    const { api } = await startEmulator();
    const res = await api.get('/apis').set('Accept', 'application/json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-type']).not.toContain('apidiscovery');
    expect(res.body).toEqual({
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: [{ name: 'core.apoxy.dev', versions: [GV, GV_V1ALPHA], preferredVersion: GV }],
    });
  });

  it('/apis with the aggregated Accept is APIGroupDiscoveryList v2 with its exact Content-Type, ETag and 304', async () => {
    const { api } = await startEmulator();
    const res = await api.get('/apis').set('Accept', AGGREGATED_ACCEPT).expect(200);
    expect(res.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(res.headers.vary).toBe('Accept');
    expect(res.headers['cache-control']).toBe('public');
    const body = JSON.parse(res.text);
    const version = (v: string) => {
      const responseKind = { group: 'core.apoxy.dev', version: v, kind: 'Backend' };
      return {
        version: v,
        resources: [{
          resource: 'backends', responseKind, scope: 'Cluster', singularResource: 'backend', verbs: ALL_VERBS,
          subresources: [{ subresource: 'status', responseKind, verbs: ['get', 'patch', 'update'] }],
        }],
        freshness: 'Current',
      };
    };
    expect(body).toEqual({
      kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
      items: [{ metadata: { name: 'core.apoxy.dev' }, versions: [version('v1alpha2'), version('v1alpha')] }],
    });
    const etag = res.headers.etag;
    expect(etag).toMatch(/^"[0-9A-F]{128}"$/);
    await api.get('/apis').set('Accept', AGGREGATED_ACCEPT).set('If-None-Match', etag).expect(304);
    // A client that only knows v2beta1 gets that version.
    const beta = await api.get('/apis').set('Accept', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList').expect(200);
    expect(beta.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    expect(JSON.parse(beta.text).apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
  });

  it('/apis/core.apoxy.dev is the APIGroup', async () => {
    const { api } = await startEmulator();
    const res = await api.get('/apis/core.apoxy.dev').expect(200);
    expect(res.body).toEqual({ kind: 'APIGroup', apiVersion: 'v1', name: 'core.apoxy.dev', versions: [GV, GV_V1ALPHA], preferredVersion: GV });
  });

  it.each(['v1alpha2', 'v1alpha'])('/apis/core.apoxy.dev/%s lists backends and backends/status with sorted verbs and the one storage version hash', async (version) => {
    const { api } = await startEmulator();
    const res = await api.get(`/apis/core.apoxy.dev/${version}`).expect(200);
    expect(res.body).toEqual({
      kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `core.apoxy.dev/${version}`,
      resources: [
        // v1alpha2 is the storage version of both: the same hash under each version.
        { name: 'backends', singularName: 'backend', namespaced: false, kind: 'Backend', verbs: ALL_VERBS, storageVersionHash: 'Ck1mKpjP/9k=' },
        { name: 'backends/status', singularName: '', namespaced: false, kind: 'Backend', verbs: ['get', 'patch', 'update'] },
      ],
    });
    // Resources that do not exist under the group/version stay a NotFound Status.
    const missing = await api.get(`/apis/core.apoxy.dev/${version}/gateways`).expect(404);
    expect(missing.body.kind).toBe('Status');
  });

  it('/version reports the Kubernetes release the real server is built on', async () => {
    const { api } = await startEmulator();
    const res = await api.get('/version').expect(200);
    expect(res.body).toMatchObject({ major: '1', minor: '34', gitVersion: 'v1.34.3', compiler: 'gc' });
    expect(res.text).toMatch(/^\{\n {2}"major": "1",\n/);
    expect(Object.keys(res.body)).toEqual(['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']);
  });

  it('health endpoints answer ok', async () => {
    const { api } = await startEmulator();
    for (const p of ['/healthz', '/readyz', '/livez']) {
      const res = await api.get(p).expect(200);
      expect(res.text).toBe('ok');
    }
  });
});

describe('OpenAPI v3', () => {
  it('/openapi/v3 names the group/version document by a hash of its content', async () => {
    const { api } = await startEmulator();
    const index = await api.get('/openapi/v3').expect(200);
    expect(index.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(index.body.paths)).toEqual(['apis/core.apoxy.dev/v1alpha2', 'apis/core.apoxy.dev/v1alpha']);
    const url: string = index.body.paths['apis/core.apoxy.dev/v1alpha2'].serverRelativeURL;
    const m = /^\/openapi\/v3\/apis\/core\.apoxy\.dev\/v1alpha2\?hash=([0-9A-F]{128})$/.exec(url);
    expect(m).not.toBeNull();

    const doc = await api.get(url).set('Accept', 'application/json').expect(200);
    expect(createHash('sha512').update(doc.text).digest('hex').toUpperCase()).toBe(m![1]);
    expect(doc.headers['cache-control']).toBe('public, immutable');
    expect(doc.headers.etag).toBe(`"${m![1]}"`);
    expect(doc.headers.vary).toBe('Accept');
    expect(Date.parse(doc.headers.expires)).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);
    await api.get(url).set('If-None-Match', `"${m![1]}"`).expect(304);

    // Without a hash: no immutable caching. With a stale hash: redirected to the current one.
    const plain = await api.get('/openapi/v3/apis/core.apoxy.dev/v1alpha2').expect(200);
    expect(plain.headers['cache-control']).not.toBe('public, immutable');
    const stale = await api.get('/openapi/v3/apis/core.apoxy.dev/v1alpha2?hash=ABC').expect(301);
    expect(stale.headers.location).toBe(url);
  });

  it.each(['v1alpha2', 'v1alpha'])('%s: the PATCH operation carries the GVK and a fieldValidation parameter, where kubectl looks for them', async (version) => {
    const { api } = await startEmulator();
    const index = await api.get('/openapi/v3').expect(200);
    const doc = (await api.get(index.body.paths[`apis/core.apoxy.dev/${version}`].serverRelativeURL).expect(200)).body;
    // Each group/version document holds its own paths only.
    expect(Object.keys(doc.paths)).toEqual([`/apis/core.apoxy.dev/${version}/backends`, `/apis/core.apoxy.dev/${version}/backends/{name}`, `/apis/core.apoxy.dev/${version}/backends/{name}/status`]);
    const patch = doc.paths[`/apis/core.apoxy.dev/${version}/backends/{name}`].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'core.apoxy.dev', version, kind: 'Backend' });
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    // kubectl explain finds the kind's schema by its x-kubernetes-group-version-kind array: one
    // Backend schema, this version's (the other version's schemas are not in this document).
    const withGvk = Object.entries(doc.components.schemas as Record<string, Record<string, unknown>>)
      .filter(([, s]) => JSON.stringify(s['x-kubernetes-group-version-kind'] ?? []).includes('"kind":"Backend"'));
    expect(withGvk.map(([k, s]) => [k, s['x-kubernetes-group-version-kind']])).toEqual([
      [`com.github.apoxy-dev.apoxy.api.core.${version}.Backend`, [{ group: 'core.apoxy.dev', kind: 'Backend', version }]],
    ]);
    expect((withGvk[0][1].properties as Record<string, unknown>).spec).toBeDefined();
    expect(Object.keys(doc.components.schemas).filter((k) => k.startsWith('com.github.')).every((k) => k.startsWith(`com.github.apoxy-dev.apoxy.api.core.${version}.`))).toBe(true);
    // Every $ref in the document resolves inside it.
    for (const ref of JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []) {
      const [, section, name] = /#\/components\/([^/]+)\/([^"]+)/.exec(ref)!;
      expect(doc.components[section]?.[name], ref).toBeDefined();
    }
  });

  it('an unknown group/version document answers 404', async () => {
    const { api } = await startEmulator();
    await api.get('/openapi/v3/apis/nope.example.com/v1').expect(404);
  });

  it('a protobuf-only Accept on the document is 406', async () => {
    const { api } = await startEmulator();
    await api.get('/openapi/v3/apis/core.apoxy.dev/v1alpha2').set('Accept', 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf').expect(406);
  });
});
