/**
 * /openapi/v2 as kube-apiserver serves it (kube-api-semantics.md §8, kube-openapi pkg/handler):
 * Swagger 2.0 generated from openapi.yaml, as JSON or gnostic protobuf by the Accept header,
 * with ETag/304 and 406. test/kubectl-1.28.test.ts is the real client that decodes it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startEmulator } from './harness.js';

const PB_OLD = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const PB = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const ITEM = '/apis/core.apoxy.dev/v1alpha2/backends/{name}';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const binary = (res: { on: Function }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('OpenAPI v2', () => {
  it('JSON: a Swagger 2.0 document of every path, with definitions, GVKs, fieldValidation and patch strategies', async () => {
    const { api } = await startEmulator();
    const res = await api.get('/openapi/v2').set('Accept', 'application/json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.vary).toBe('Accept');
    const doc = res.body;
    expect(doc.swagger).toBe('2.0');
    const patch = doc.paths[ITEM].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'core.apoxy.dev', version: 'v1alpha2', kind: 'Backend' });
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query', type: 'string' }));
    expect(patch.parameters).toContainEqual({ name: 'body', in: 'body', required: true, description: expect.any(String), schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
    expect(doc.paths[ITEM].parameters).toContainEqual(expect.objectContaining({ name: 'name', in: 'path', required: true, type: 'string' }));
    expect(doc.definitions[META].properties.finalizers).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge' });
    expect(doc.definitions[META].properties.ownerReferences).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'uid' });
    // Every reference points into #/definitions, and every one resolves.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.definitions[r.replace('#/definitions/', '')], r).toBeDefined();
    // OpenAPI 3's `allOf: [$ref]` beside a default becomes the ref itself.
    const dns = Object.entries(doc.definitions).find(([k]) => k.endsWith('.DynamicProxyDnsCacheConfig'))![1] as any;
    expect(dns.properties.hostTTL.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Duration');
  });

  it('protobuf: gnostic openapi_v2.Document for the Accept kubectl sends, labelled with the type Go can parse', async () => {
    const { api } = await startEmulator();
    const res = await api.get('/openapi/v2').set('Accept', PB_OLD).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe(PB);
    const Document = protobuf.parse(readFileSync(new URL('../proto/openapi_v2.proto', import.meta.url), 'utf8'), { keepCase: true }).root.lookupType('openapi.v2.Document');
    const doc = Document.toObject(Document.decode(res.body as Buffer), { defaults: false }) as any;
    expect(doc.swagger).toBe('2.0');
    const item = doc.paths.path.find((p: any) => p.name === ITEM).value;
    const gvk = item.patch.vendor_extension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
    expect(parseYaml(gvk.value.yaml)).toEqual({ group: 'core.apoxy.dev', version: 'v1alpha2', kind: 'Backend' });
    const names = item.patch.parameters.map((p: any) => p.parameter.non_body_parameter?.query_parameter_sub_schema?.name);
    expect(names).toContain('fieldValidation');
    const meta = doc.definitions.additional_properties.find((d: any) => d.name === META).value;
    const finalizers = meta.properties.additional_properties.find((p: any) => p.name === 'finalizers').value;
    expect(finalizers.type.value).toEqual(['array']);
    expect(finalizers.vendor_extension.map((e: any) => [e.name, parseYaml(e.value.yaml)])).toContainEqual(['x-kubernetes-patch-strategy', 'merge']);
    // The new name gets the same bytes.
    const again = await api.get('/openapi/v2').set('Accept', PB).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(again.body as Buffer, res.body as Buffer)).toBe(0);
  });

  it('ETag is the JSON document hash on both forms; If-None-Match gives 304', async () => {
    const { api } = await startEmulator();
    const json = await api.get('/openapi/v2').expect(200);
    const etag = `"${createHash('sha512').update(json.text).digest('hex').toUpperCase()}"`;
    expect(json.headers.etag).toBe(etag);
    expect(json.headers['last-modified']).toBeTruthy();
    await api.get('/openapi/v2').set('If-None-Match', etag).expect(304);
    const pb = await api.get('/openapi/v2').set('Accept', PB_OLD).set('If-None-Match', etag).expect(304);
    expect(pb.headers.etag).toBe(etag);
    await api.get('/openapi/v2').set('If-None-Match', '"stale"').expect(200);
  });

  it('negotiates by q, takes */* as JSON, and answers 406 to what it cannot serve', async () => {
    const { api } = await startEmulator();
    const preferPb = await api.get('/openapi/v2').set('Accept', `application/json;q=0.5, ${PB_OLD}`).buffer(true).parse(binary).expect(200);
    expect(preferPb.headers['content-type']).toBe(PB);
    expect((await api.get('/openapi/v2').set('Accept', '*/*').expect(200)).headers['content-type']).toMatch(/^application\/json/);
    expect((await api.get('/openapi/v2').expect(200)).headers['content-type']).toMatch(/^application\/json/);
    const refused = await api.get('/openapi/v2').set('Accept', 'application/yaml').expect(406);
    expect(refused.headers.vary).toBe('Accept');
  });
});
