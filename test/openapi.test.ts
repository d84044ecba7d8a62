import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createEmulator } from '../emulator/index.js';
import { loadDocument } from '../emulator/openapi/document.js';

const doc = loadDocument();
const reference = JSON.parse(readFileSync(new URL('./reference/apoxy-v1alpha2-backend-schemas.json', import.meta.url), 'utf8'));

describe('openapi.yaml drives the emulator', () => {
  it.each(['v1alpha2', 'v1alpha'])('%s: has the seven published operations plus the status subresource', (version) => {
    const ops = doc.operations.filter((o) => o.gvk.version === version).map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(ops).toEqual([
      `DELETE /apis/core.apoxy.dev/${version}/backends`,
      `DELETE /apis/core.apoxy.dev/${version}/backends/{name}`,
      `GET /apis/core.apoxy.dev/${version}/backends`,
      `GET /apis/core.apoxy.dev/${version}/backends/{name}`,
      `GET /apis/core.apoxy.dev/${version}/backends/{name}/status`,
      `PATCH /apis/core.apoxy.dev/${version}/backends/{name}`,
      `PATCH /apis/core.apoxy.dev/${version}/backends/{name}/status`,
      `POST /apis/core.apoxy.dev/${version}/backends`,
      `PUT /apis/core.apoxy.dev/${version}/backends/{name}`,
      `PUT /apis/core.apoxy.dev/${version}/backends/{name}/status`,
    ]);
    expect(doc.operations).toHaveLength(20); // the two versions, nothing else
  });

  // apoxy-backend-semantics.md §4: the two versions' types are field-for-field identical; each
  // operation and schema of v1alpha mirrors v1alpha2's, tagged with its own version.
  const inV1alpha = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('v1alpha2', 'v1alpha').replaceAll('V1alpha2', 'V1alpha'));
  const V1ALPHA2 = 'com.github.apoxy-dev.apoxy.api.core.v1alpha2.';

  it('v1alpha\'s schemas are v1alpha2\'s, key for key, each kind tagged with x-kubernetes-group-version-kind v1alpha', () => {
    const v1alpha2Keys = Object.keys(doc.schemas).filter((k) => k.startsWith(V1ALPHA2));
    const v1alphaKeys = Object.keys(doc.schemas).filter((k) => k.startsWith('com.github.apoxy-dev.apoxy.api.core.v1alpha.'));
    expect(v1alphaKeys).toEqual(v1alpha2Keys.map(inV1alpha));
    for (const key of v1alpha2Keys) expect(doc.schemas[inV1alpha(key)], key).toEqual(inV1alpha(doc.schemas[key]));
    expect(doc.schemas['com.github.apoxy-dev.apoxy.api.core.v1alpha.Backend']['x-kubernetes-group-version-kind' as never]).toEqual([{ group: 'core.apoxy.dev', kind: 'Backend', version: 'v1alpha' }]);
  });

  it('every v1alpha operation is its v1alpha2 twin in v1alpha (only the field selector description differs)', () => {
    const paths = doc.raw.paths as Record<string, Record<string, { description?: string }>>;
    for (const [path, item] of Object.entries(paths).filter(([p]) => p.includes('/v1alpha2/'))) {
      const twin = paths[inV1alpha(path)];
      expect(twin, path).toBeDefined();
      const strip = (i: Record<string, { description?: string }>) => Object.fromEntries(Object.entries(i).map(([m, op]) => [m, typeof op === 'object' && !Array.isArray(op) ? { ...op, description: undefined } : op]));
      expect(strip(twin), path).toEqual(inV1alpha(strip(item)));
    }
  });

  it('serves every operation in the document (none answers 404/405 for its own route)', async () => {
    const emulator = await createEmulator({ validateResponses: true });
    const api = request(emulator.app);
    await api.post('/apis/core.apoxy.dev/v1alpha2/backends').send({ metadata: { name: 'x' } }).expect(201);
    for (const op of doc.operations) {
      const path = op.path.replace('{name}', 'x');
      const ct = op.requestContentTypes.includes('application/merge-patch+json') ? 'application/merge-patch+json' : 'application/json';
      const body = op.method === 'put' ? (await api.get(path)).body : op.method === 'patch' ? {} : op.method === 'post' ? { metadata: { name: 'y' } } : undefined;
      const res = await api[op.method](path).set('Content-Type', ct).send(body);
      expect(res.status, `${op.operationId}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      if (op.action === 'delete' || op.action === 'deletecollection') await api.post('/apis/core.apoxy.dev/v1alpha2/backends').send({ metadata: { name: 'x' } });
    }
    expect(emulator.responseProblems).toEqual([]);
    await emulator.close();
  });

  it('components.schemas agree with the real server\'s schemas', () => {
    const ours = doc.schemas as Record<string, Record<string, unknown>>;
    for (const [key, ref] of Object.entries(reference.components.schemas as Record<string, Record<string, unknown>>)) {
      expect(ours[key], key).toBeDefined();
      const refProps = (ref.properties ?? {}) as Record<string, { description?: string; type?: string }>;
      const ourProps = (ours[key].properties ?? {}) as Record<string, { description?: string; type?: string }>;
      for (const [p, s] of Object.entries(refProps)) {
        expect(ourProps[p], `${key}.${p}`).toBeDefined();
        if (s.description) expect(ourProps[p].description, `${key}.${p} description`).toBe(s.description);
        if (s.type) expect(ourProps[p].type, `${key}.${p} type`).toBe(s.type);
      }
    }
  });

  it('declares every documented default where the profile reads it', () => {
    const cfg = doc.schemas['com.github.apoxy-dev.apoxy.api.core.v1alpha2.DynamicProxyDnsCacheConfig'].properties as Record<string, { default?: unknown }>;
    expect(Object.fromEntries(Object.entries(cfg).map(([k, v]) => [k, v.default]))).toEqual({
      dnsLookupFamily: 'auto', dnsMinRefreshRate: '5s', dnsQueryTimeout: '5s', dnsRefreshRate: '1m0s', hostTTL: '5m0s', maxHosts: 1024,
    });
  });
});
