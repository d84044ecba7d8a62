import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createEmulator } from '../emulator/index.js';
import { loadDocument } from '../emulator/openapi/document.js';

const doc = loadDocument();
const reference = JSON.parse(readFileSync(new URL('./reference/apoxy-v1alpha2-backend-schemas.json', import.meta.url), 'utf8'));

describe('openapi.yaml drives the emulator', () => {
  it('has the seven published operations plus the status subresource', () => {
    const ops = doc.operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(ops).toEqual([
      'DELETE /apis/core.apoxy.dev/v1alpha2/backends',
      'DELETE /apis/core.apoxy.dev/v1alpha2/backends/{name}',
      'GET /apis/core.apoxy.dev/v1alpha2/backends',
      'GET /apis/core.apoxy.dev/v1alpha2/backends/{name}',
      'GET /apis/core.apoxy.dev/v1alpha2/backends/{name}/status',
      'PATCH /apis/core.apoxy.dev/v1alpha2/backends/{name}',
      'PATCH /apis/core.apoxy.dev/v1alpha2/backends/{name}/status',
      'POST /apis/core.apoxy.dev/v1alpha2/backends',
      'PUT /apis/core.apoxy.dev/v1alpha2/backends/{name}',
      'PUT /apis/core.apoxy.dev/v1alpha2/backends/{name}/status',
    ]);
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
