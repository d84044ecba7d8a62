import { describe, expect, it } from 'vitest';
import { readContractDocument } from '../openapi/document.js';
import { goDurationSeconds, NUMBER_FORMATS, ResponseSchemas, STRING_FORMATS } from './response-schema.js';

const doc = readContractDocument();
const schemas = ResponseSchemas.for(doc);
const GET = 'readCoreApoxyDevV1alpha2Backend';

function backend(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
  return {
    kind: 'Backend',
    apiVersion: 'core.apoxy.dev/v1alpha2',
    metadata: { name: 'web', uid: 'u', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z', ...metadata },
    spec,
    status: {},
  };
}
const fine = { endpoints: [{ fqdn: 'web.example.com' }], protocol: 'h2' };

describe('the contract suite compiles openapi.yaml itself', () => {
  it.each(['apoxy', 'documented'] as const)('every declared response schema compiles under profile %s, and none accepts anything', (profile) => {
    expect(() => schemas.prepare(profile)).not.toThrow();
    let declared = 0;
    for (const op of doc.operations) {
      for (const [status, content] of op.responses) {
        for (const ct of content.keys()) {
          declared++;
          // Every declared body is an object with string members: a schema that resolved to
          // nothing (a $ref lost on the way) would accept these.
          expect(schemas.check(op.operationId, status, ct, 'not an object', profile), `${op.operationId} ${status} ${ct}`).not.toEqual([]);
          const wrongTypes = { kind: 42, apiVersion: 42, metadata: 'x', type: 42, object: 'x' };
          expect(schemas.check(op.operationId, status, ct, wrongTypes, profile), `${op.operationId} ${status} ${ct}`).not.toEqual([]);
        }
      }
    }
    expect(declared).toBeGreaterThan(50);
  });

  it('accepts a well-formed Backend, a Status and a list under both profiles', () => {
    for (const profile of ['apoxy', 'documented'] as const) {
      expect(schemas.check(GET, 200, 'application/json', backend(fine), profile)).toEqual([]);
      expect(schemas.check(GET, 404, 'application/json', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'm', reason: 'NotFound', code: 404 }, profile)).toEqual([]);
      const list = { kind: 'BackendList', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '5' }, items: [backend(fine)] };
      expect(schemas.check('listCoreApoxyDevV1alpha2Backend', 200, 'application/json', list, profile)).toEqual([]);
    }
  });

  it('holds both profiles to types, formats (but ip), nullable and integer ranges', () => {
    const broken: Array<[string, unknown]> = [
      ['resourceVersion as a number', backend(fine, { resourceVersion: 5 })],
      ['a creationTimestamp that is not RFC 3339', backend(fine, { creationTimestamp: 'yesterday' })],
      ['a creationTimestamp on no calendar', backend(fine, { creationTimestamp: '2026-13-45T00:00:00Z' })],
      ['a Duration Go cannot parse', backend({ ...fine, dynamicProxy: { dnsCacheConfig: { dnsRefreshRate: '5 minutes' } } })],
      ['maxHosts outside uint32', backend({ ...fine, dynamicProxy: { dnsCacheConfig: { maxHosts: -1 } } })],
      ['a generation that is not an integer', backend(fine, { generation: 1.5 })],
      ['endpoints as an object', backend({ endpoints: { fqdn: 'a.example.com' }, protocol: 'h2' })],
      ['labels with a number value', backend(fine, { labels: { a: 1 } })],
    ];
    for (const profile of ['apoxy', 'documented'] as const) {
      for (const [what, body] of broken) expect(schemas.check(GET, 200, 'application/json', body, profile), `${profile}: ${what}`).not.toEqual([]);
    }
  });

  it('holds profile documented, not apoxy, to what the real server does not enforce on input', () => {
    const promises: Array<[string, unknown, string]> = [
      ['no spec.endpoints (required)', backend({ protocol: 'h2' }), "/spec must have required property 'endpoints'"],
      ['an unknown protocol (enum)', backend({ ...fine, protocol: 'quic' }), '/spec/protocol must be equal to one of the allowed values'],
      ['an fqdn with capitals (pattern)', backend({ endpoints: [{ fqdn: 'Web.Example.com' }], protocol: '' }), '/spec/endpoints/0/fqdn must match pattern'],
      ['an fqdn of 254 characters (maxLength)', backend({ endpoints: [{ fqdn: `${'a'.repeat(63)}.`.repeat(4).slice(0, 254) }], protocol: '' }), '/spec/endpoints/0/fqdn must NOT have more than 253 characters'],
      ['an ip that is no address (format ip)', backend({ endpoints: [{ ip: '10.0.0' }], protocol: '' }), '/spec/endpoints/0/ip must match format "ip"'],
      ['dnsMinRefreshRate under 1s (x-minimum-duration)', backend({ ...fine, dynamicProxy: { dnsCacheConfig: { dnsMinRefreshRate: '500ms' } } }), '/spec/dynamicProxy/dnsCacheConfig/dnsMinRefreshRate must pass "x-minimum-duration" keyword validation'],
    ];
    for (const [what, body, problem] of promises) {
      expect(schemas.check(GET, 200, 'application/json', body, 'apoxy'), `apoxy: ${what}`).toEqual([]);
      expect(schemas.check(GET, 200, 'application/json', body, 'documented').join('\n'), `documented: ${what}`).toContain(problem);
    }
  });

  it('reads the declared content type: a Table, a watch event', () => {
    const table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '1' }, columnDefinitions: [], rows: [] };
    expect(schemas.check(GET, 200, 'application/json;as=Table;v=v1;g=meta.k8s.io', table, 'apoxy')).toEqual([]);
    expect(schemas.check(GET, 200, 'application/json;as=Table;v=v1;g=meta.k8s.io', { ...table, rows: 'none' }, 'apoxy')).not.toEqual([]);
    const event = { type: 'ADDED', object: backend(fine) };
    expect(schemas.check('listCoreApoxyDevV1alpha2Backend', 200, 'application/json;stream=watch', event, 'documented')).toEqual([]);
    expect(schemas.check('listCoreApoxyDevV1alpha2Backend', 200, 'application/json;stream=watch', { type: 7, object: {} }, 'apoxy')).not.toEqual([]);
    expect(schemas.check(GET, 418, 'application/json', {}, 'apoxy')).toEqual([`status 418 is not declared for ${GET}`]);
  });
});

describe('goDurationSeconds (time.ParseDuration syntax)', () => {
  it.each([['0', 0], ['1s', 1], ['1m0s', 60], ['1h30m', 5400], ['1.5h', 5400], ['500ms', 0.5], ['-2s', -2], ['1µs', 1e-6], ['.5s', 0.5]])('%s = %d s', (s, v) => expect(goDurationSeconds(s as string)).toBeCloseTo(v as number, 9));
  it.each(['', '5', '1d', 's', '1.s.', '1 s', '--1s'])('%j is no duration', (s) => expect(goDurationSeconds(s)).toBeUndefined());
});

describe('the formats, as the Go types read them', () => {
  const accepts = (format: string, values: unknown[]) =>
    values.filter((v) => !(typeof v === 'number' ? NUMBER_FORMATS[format](v) : STRING_FORMATS[format](v as string)));
  it('date-time: RFC 3339, a real instant', () => {
    expect(accepts('date-time', ['2026-01-01T00:00:00Z', '2026-01-01t00:00:00z', '2026-01-01T00:00:00.123456Z', '2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00-09:30'])).toEqual([]);
    const refused = ['2026-01-01T00:00:00', '2026-01-01 00:00:00Z', ' 2026-01-01T00:00:00Z', '2026-01-01T00:00:00Zx', '2026-01-01T00:00:00.Z', '2026-1-01T00:00:00Z', '2026-01-01T00:00:00+0100', '2026-13-45T00:00:00Z', '20260-01-01T00:00:00Z'];
    expect(refused.filter((s) => STRING_FORMATS['date-time'](s))).toEqual([]);
  });
  it('duration: time.ParseDuration', () => {
    expect(accepts('duration', ['0', '1h30m', '-1.5s', '+2m', '.5s', '1.s', '10ns', '3us', '3µs', '3μs', '250ms'])).toEqual([]);
    expect(['1', '', '1x', 'h', '1h 30m', '-', '1.5', 'ms'].filter((s) => STRING_FORMATS.duration(s))).toEqual([]);
    expect([goDurationSeconds('1h30m'), goDurationSeconds('-1.5s'), goDurationSeconds('+2m'), goDurationSeconds('250ms'), goDurationSeconds('0'), goDurationSeconds('1x')]).toEqual([5400, -1.5, 120, 0.25, 0, undefined]);
    expect(goDurationSeconds('3us')).toBeCloseTo(3e-6);
    expect(goDurationSeconds('10ns')).toBeCloseTo(1e-8);
  });
  it('int32 and int64: whole numbers, int32 within its range', () => {
    expect(accepts('int32', [0, -(2 ** 31), 2 ** 31 - 1, 7])).toEqual([]);
    expect([2 ** 31, -(2 ** 31) - 1, 1.5].filter((n) => NUMBER_FORMATS.int32(n))).toEqual([]);
    expect(accepts('int64', [0, 2 ** 40, -(2 ** 40)])).toEqual([]);
    expect([1.5, Number.NaN].filter((n) => NUMBER_FORMATS.int64(n))).toEqual([]);
  });
  it('ip: an IPv4 or IPv6 address', () => {
    expect(accepts('ip', ['10.0.0.1', '::1', '2001:db8::68'])).toEqual([]);
    expect(['10.0.0.300', 'x', '', 'example.com'].filter((s) => STRING_FORMATS.ip(s))).toEqual([]);
  });
});
