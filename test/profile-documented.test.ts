import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';

describe('profile documented', () => {
  it('stores every documented dnsCacheConfig default whenever dynamicProxy is present', async () => {
    const { api } = await startEmulator({ profile: 'documented' });
    const res = await api.post(BASE).send(backend('dp', { endpoints: [{ fqdn: 'a.example.com' }], protocol: '', dynamicProxy: {} }));
    expect(res.status).toBe(201);
    expect(res.body.spec.dynamicProxy.dnsCacheConfig).toEqual({
      dnsLookupFamily: 'auto', dnsMinRefreshRate: '5s', dnsQueryTimeout: '5s', dnsRefreshRate: '1m0s', hostTTL: '5m0s', maxHosts: 1024,
    });
    const partial = await api.post(BASE).send(backend('dp2', { endpoints: [{ fqdn: 'a.example.com' }], protocol: '', dynamicProxy: { dnsCacheConfig: { hostTTL: '10m', maxHosts: 5 } } }));
    expect(partial.body.spec.dynamicProxy.dnsCacheConfig).toMatchObject({ hostTTL: '10m0s', maxHosts: 5, dnsLookupFamily: 'auto' });
  });

  it('requires endpoints and protocol', async () => {
    const { api } = await startEmulator({ profile: 'documented' });
    const res = await api.post(BASE).send({ metadata: { name: 'r' }, spec: {} });
    expect(res.status).toBe(422);
    const fields = res.body.details.causes.map((c: { field: string }) => c.field).sort();
    expect(fields).toEqual(['spec.endpoints', 'spec.protocol']);
    expect(res.body.details.causes[0].reason).toBe('FieldValueRequired');
  });

  it('enforces the protocol and dnsLookupFamily enums, minimum durations and the conditions cap', async () => {
    const { api } = await startEmulator({ profile: 'documented' });
    const proto = await api.post(BASE).send(backend('p', { endpoints: [], protocol: 'quic' }));
    expect(proto.status).toBe(422);
    expect(proto.body.details.causes).toEqual([{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "quic": supported values: "", "tls", "h2", "h2c"', field: 'spec.protocol' }]);
    const fam = await api.post(BASE).send(backend('f', { endpoints: [{ fqdn: 'a.example.com' }], protocol: '', dynamicProxy: { dnsCacheConfig: { dnsLookupFamily: 'v5' } } }));
    expect(fam.body.details.causes[0].field).toBe('spec.dynamicProxy.dnsCacheConfig.dnsLookupFamily');
    const min = await api.post(BASE).send(backend('m', { endpoints: [{ fqdn: 'a.example.com' }], protocol: '', dynamicProxy: { dnsCacheConfig: { dnsMinRefreshRate: '500ms', dnsRefreshRate: '100us' } } }));
    expect(min.status).toBe(422);
    expect(min.body.details.causes.map((c: { message: string }) => c.message).sort()).toEqual(['Invalid value: "100µs": must be at least 1ms', 'Invalid value: "500ms": must be at least 1s']);
    const cond = (t: string) => ({ type: t, status: 'True', reason: 'R', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' });
    const many = await api.post(BASE).send({ ...backend('c', { endpoints: [], protocol: '' }), status: { conditions: Array.from({ length: 9 }, (_, i) => cond(`T${i}`)) } });
    expect(many.status).toBe(422);
    expect(many.body.details.causes[0]).toMatchObject({ reason: 'FieldValueTooMany', field: 'status.conditions' });
  });

  it('the apoxy profile accepts what only the reference forbids', async () => {
    const { api } = await startEmulator({ profile: 'apoxy' });
    const res = await api.post(BASE).send(backend('q', { protocol: 'QUIC', dynamicProxy: { dnsCacheConfig: { dnsLookupFamily: 'v5', dnsMinRefreshRate: '1ms' } }, endpoints: [{ fqdn: 'a.example.com' }] }));
    expect(res.status).toBe(201);
    expect(res.body.spec.protocol).toBe('quic');
    expect(res.body.spec.dynamicProxy.dnsCacheConfig).toEqual({ dnsLookupFamily: 'v5', dnsMinRefreshRate: '1ms' });
  });
});
