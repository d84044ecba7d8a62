/**
 * Backend's TypeScript shapes (types.ts) are written by hand; this keeps them honest against
 * openapi.yaml. Each sample is typed `Required<…>`, so the compiler makes it name every property
 * of its interface and nothing else; the test then compares those names with the schema's.
 */
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../openapi/document.js';
import { backend } from './index.js';
import type { BackendEndpoint, BackendSpec, BackendStatus, Condition, DynamicProxyDnsCacheConfig, DynamicProxySpec } from './types.js';

const endpoint: Required<BackendEndpoint> = { fqdn: 'a.example.com', ip: '' };
const cacheConfig: Required<DynamicProxyDnsCacheConfig> = { dnsLookupFamily: 'auto', dnsMinRefreshRate: '5s', dnsQueryTimeout: '5s', dnsRefreshRate: '1m0s', hostTTL: '5m0s', maxHosts: 1024 };
const dynamicProxy: Required<DynamicProxySpec> = { dnsCacheConfig: cacheConfig };
const spec: Required<BackendSpec> = { dynamicProxy, endpoints: [endpoint], protocol: '' };
const condition: Required<Condition> = { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'R', message: 'm', observedGeneration: 0 };
const status: Required<BackendStatus> = { conditions: [condition] };

const V1ALPHA2 = 'com.github.apoxy-dev.apoxy.api.core.v1alpha2.';
const cases: [string, object][] = [
  [`${V1ALPHA2}BackendEndpoint`, endpoint],
  [`${V1ALPHA2}DynamicProxyDnsCacheConfig`, cacheConfig],
  [`${V1ALPHA2}DynamicProxySpec`, dynamicProxy],
  [`${V1ALPHA2}BackendSpec`, spec],
  [`${V1ALPHA2}BackendStatus`, status],
  ['io.k8s.apimachinery.pkg.apis.meta.v1.Condition', condition],
];

describe('Backend types agree with openapi.yaml', () => {
  const schemas = loadDocument().schemas;
  it.each(cases)('%s', (key, sample) => {
    expect(Object.keys(sample).sort()).toEqual(Object.keys(schemas[key].properties ?? {}).sort());
  });
});

describe("Backend's Go pointer table names fields openapi.yaml declares as optional", () => {
  const schemas = loadDocument().schemas;
  it.each(Object.entries(backend.goPointers))('%s', (typeName, fields) => {
    const schema = schemas[`${V1ALPHA2}${typeName}`];
    expect(schema, `${V1ALPHA2}${typeName}`).toBeDefined();
    for (const f of fields) {
      expect(Object.keys(schema.properties ?? {})).toContain(f);
      expect(schema.required ?? []).not.toContain(f); // a pointer field is omitempty
    }
  });
});
