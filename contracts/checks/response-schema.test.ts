import { describe, expect, it } from 'vitest';
import { type ContractDocument, readContractDocument, type Schema } from '../openapi/document.js';
import type { Profile } from '../runner/types.js';
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
  it.each([['0', 0], ['1s', 1], ['1m0s', 60], ['1h30m', 5400], ['1.5h', 5400], ['500ms', 0.5], ['-2s', -2], ['1µs', 1e-6], ['.5s', 0.5], ['.25s', 0.25], ['1.25s', 1.25]])('%s = %d s', (s, v) => expect(goDurationSeconds(s as string)).toBeCloseTo(v as number, 9));
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

/**
 * The compilation itself, on small documents of its own: what each operation, status and content
 * type selects, what profile apoxy leaves out and where, formats and keywords at the types they
 * are for, `$ref`s, and the schemas the judge refuses before a run starts.
 */
describe('ResponseSchemas on a document of its own', () => {
  type Responses = Record<number, Record<string, Schema>>;
  function docOf(responses: Responses, schemas: Record<string, Schema> = {}, operationId = 'get'): ContractDocument {
    const map = new Map(Object.entries(responses).map(([status, content]) => [Number(status), new Map(Object.entries(content))]));
    return { file: 'test.yaml', operations: [{ operationId, method: 'get', path: '/x', action: 'get', responses: map }], schemas };
  }
  /** The problems with `body` under `profile`, for a document whose only response is `schema`, with `schemas` as its components. */
  function judge(schema: Schema, body: unknown, profile: Profile, schemas: Record<string, Schema> = {}): string[] {
    return ResponseSchemas.for(docOf({ 200: { 'application/json': schema } }, schemas)).check('get', 200, 'application/json', body, profile);
  }

  it('is one judge per document, so a document is compiled once', () => {
    const d = docOf({ 200: { 'application/json': { type: 'string' } } });
    expect(ResponseSchemas.for(d)).toBe(ResponseSchemas.for(d));
    expect(ResponseSchemas.for(d)).not.toBe(ResponseSchemas.for(docOf({ 200: { 'application/json': { type: 'string' } } })));
  });

  it('selects the content type as sent, then its media type, then JSON; names what is not declared', () => {
    const json = { type: 'string' };
    const yaml = { type: 'number' };
    const watch = { type: 'boolean' };
    const s = ResponseSchemas.for(docOf({ 200: { 'application/json': json, 'application/yaml': yaml, 'application/json;stream=watch': watch }, 500: { 'application/yaml': yaml } }));
    expect(s.declared('get', 200, 'application/json;stream=watch').schema).toBe(watch);
    expect(s.declared('get', 200, 'application/yaml').schema).toBe(yaml);
    // RFC 9110 allows whitespace before a parameter's ';'.
    expect(s.declared('get', 200, 'application/yaml ; charset=utf-8').schema).toBe(yaml);
    expect(s.declared('get', 200, 'application/json; charset=utf-8').schema).toBe(json);
    expect(s.declared('get', 200, 'text/plain').schema).toBe(json);
    expect(s.declared('get', 500, 'text/plain')).toEqual({ problem: 'content type text/plain is not declared for get 500' });
    expect(s.declared('get', 404, 'application/json')).toEqual({ problem: 'status 404 is not declared for get' });
    expect(s.declared('list', 200, 'application/json')).toEqual({ problem: 'operation list is not in openapi.yaml' });
    expect(s.check('list', 200, 'application/json', 'x', 'apoxy')).toEqual(['operation list is not in openapi.yaml']);
    expect(s.check('get', 500, 'text/plain', 1, 'apoxy')).toEqual(['content type text/plain is not declared for get 500']);
    expect(s.check('get', 200, 'application/yaml ; charset=utf-8', 1, 'documented')).toEqual([]);
    expect(s.check('get', 200, 'application/yaml ; charset=utf-8', 'x', 'documented')).toEqual(['(root) must be number']);
    expect(s.check('get', 200, 'application/json;stream=watch', 1, 'documented')).toEqual(['(root) must be boolean']);
  });

  it('names every problem by its JSON pointer, (root) for the body itself', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'integer' } }, 'c/d': { type: 'string' } } };
    expect(judge(schema, { a: 1, b: [1, 'x'], 'c/d': 2 }, 'documented')).toEqual(['/a must be string', '/b/1 must be integer', '/c~1d must be string']);
    expect(judge(schema, 'x', 'apoxy')).toEqual(['(root) must be object']);
    expect(judge(schema, { a: 'x', b: [] }, 'apoxy')).toEqual([]);
  });

  it('resolves $refs into the components, from a component and from an inline response schema', () => {
    const components = {
      Thing: { type: 'object', properties: { n: { type: 'integer' }, part: { $ref: '#/components/schemas/Part' } } },
      Part: { type: 'object', properties: { name: { type: 'string' } } },
    };
    // Values that are not schemas are kept as written: a string that looks like a $ref, a null.
    const inline = { type: 'object', default: null, properties: { thing: { $ref: '#/components/schemas/Thing' }, pointer: { type: 'string', const: '#/spec' } } };
    for (const profile of ['apoxy', 'documented'] as const) {
      expect(judge({ $ref: '#/components/schemas/Thing' }, { n: 1, part: { name: 'p' } }, profile, components)).toEqual([]);
      expect(judge({ $ref: '#/components/schemas/Thing' }, { n: 'x', part: { name: 1 } }, profile, components)).toEqual(['/n must be integer', '/part/name must be string']);
      expect(judge(inline, { thing: { n: 1 }, pointer: '#/spec' }, profile, components)).toEqual([]);
      expect(judge(inline, { thing: { part: { name: 2 } }, pointer: 'spec' }, profile, components)).toEqual(['/thing/part/name must be string', '/pointer must be equal to constant']);
    }
  });

  it('compiles every declared schema before a run, and refuses a keyword or format it does not know', () => {
    const good = { type: 'object' };
    const prepared = (bad: Schema, profile: Profile) => () => ResponseSchemas.for(docOf({ 200: { 'application/json': good, 'application/yaml': good }, 500: { 'application/json': good, 'application/yaml': bad } })).prepare(profile);
    for (const profile of ['apoxy', 'documented'] as const) {
      expect(prepared(good, profile)).not.toThrow();
      expect(prepared({ type: 'object', 'x-unheard-of': true }, profile)).toThrow(/unknown keyword: "x-unheard-of"/);
      expect(prepared({ type: 'string', format: 'uuid' }, profile)).toThrow(/unknown format "uuid"/);
    }
    // A minimum that is no Go duration would fail every value.
    expect(prepared({ type: 'string', 'x-minimum-duration': 5 }, 'documented')).toThrow(/x-minimum-duration/);
    expect(prepared({ type: 'string', 'x-minimum-duration': 'a second' }, 'documented')).toThrow(/x-minimum-duration/);
    // A $ref it cannot follow, named as written.
    expect(prepared({ $ref: 'other.yaml#/components/schemas/X' }, 'documented')).toThrow(/can't resolve reference other\.yaml#\/components\/schemas\/X /);
    expect(prepared({ $ref: '#/components/schemas/Missing' }, 'apoxy')).toThrow(/can't resolve reference openapi\.yaml#\/components\/schemas\/Missing /);
    // The Kubernetes extensions only annotate.
    expect(prepared({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-map-type': 'atomic' }, 'documented')).not.toThrow();
  });

  it('holds a format or x-minimum-duration only to values of its type', () => {
    for (const profile of ['apoxy', 'documented'] as const) {
      expect(judge({ type: ['string', 'integer'], format: 'date-time' }, 5, profile)).toEqual([]);
      expect(judge({ type: ['string', 'integer'], format: 'date-time' }, 'yesterday', profile)).toEqual(['(root) must match format "date-time"']);
      expect(judge({ type: ['string', 'integer'], format: 'int32' }, 'x', profile)).toEqual([]);
      expect(judge({ type: ['string', 'integer'], format: 'int32' }, 2 ** 31, profile)).toEqual(['(root) must match format "int32"']);
      expect(judge({ type: ['string', 'integer'], 'x-minimum-duration': '1s' }, 0, profile)).toEqual([]);
    }
  });

  it('x-minimum-duration: the minimum itself passes, less does not, a malformed value is only the format\'s error', () => {
    const schema = { type: 'string', format: 'duration', 'x-minimum-duration': '1s' };
    expect(['1s', '1000ms', '1m', '0.5h'].map((v) => judge(schema, v, 'documented'))).toEqual([[], [], [], []]);
    expect(judge(schema, '999ms', 'documented')).toEqual(['(root) must pass "x-minimum-duration" keyword validation']);
    expect(judge(schema, '-1m', 'documented')).toEqual(['(root) must pass "x-minimum-duration" keyword validation']);
    expect(judge(schema, '5 minutes', 'documented')).toEqual(['(root) must match format "duration"']);
    expect(judge(schema, '999ms', 'apoxy')).toEqual([]);
    expect(judge(schema, '5 minutes', 'apoxy')).toEqual(['(root) must match format "duration"']);
  });

  describe('profile apoxy leaves out RELAXED_UNDER_APOXY wherever a schema sits', () => {
    const positions: Array<[string, Schema, unknown]> = [
      ['properties', { type: 'object', properties: { a: { type: 'string', minLength: 2 } } }, { a: 'x' }],
      ['patternProperties', { type: 'object', patternProperties: { '^p-': { type: 'string', maxLength: 1 } } }, { 'p-1': 'xx' }],
      ['items', { type: 'array', items: { type: 'string', pattern: '^a' } }, ['b']],
      ['additionalProperties', { type: 'object', additionalProperties: { type: 'string', enum: ['a'] } }, { z: 'b' }],
      ['allOf', { allOf: [{ type: 'object', properties: { a: {} }, required: ['a'] }] }, {}],
      ['anyOf', { anyOf: [{ type: 'array', minItems: 1 }, { type: 'string', minLength: 1 }] }, []],
      ['then', { if: { type: 'string' }, then: { maxLength: 1 }, else: { type: 'array' } }, 'xx'],
      ['else', { if: { type: 'string' }, then: { type: 'string' }, else: { type: 'array', maxItems: 0 } }, [1]],
      ['contains', { type: 'array', contains: { type: 'string', pattern: '^a' } }, ['b']],
      ['propertyNames', { type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, { A: 1 }],
      ['$defs', { type: 'object', $defs: { n: { type: 'string', minLength: 2 } }, properties: { a: { $ref: '#/components/schemas/T/$defs/n' } } }, { a: 'x' }],
      ['definitions', { type: 'object', definitions: { n: { type: 'string', minLength: 2 } }, properties: { a: { $ref: '#/components/schemas/T/definitions/n' } } }, { a: 'x' }],
      ['format ip', { type: 'string', format: 'ip' }, '10.0.0'],
      ['x-minimum-duration', { type: 'string', 'x-minimum-duration': '1s' }, '1ms'],
    ];
    it.each(positions)('%s: documented holds it, apoxy does not (inline and as a component)', (_, schema, body) => {
      const components = { T: schema };
      expect(judge(schema, body, 'documented', components)).not.toEqual([]);
      expect(judge({ $ref: '#/components/schemas/T' }, body, 'documented', components)).not.toEqual([]);
      expect(judge(schema, body, 'apoxy', components)).toEqual([]);
      expect(judge({ $ref: '#/components/schemas/T' }, body, 'apoxy', components)).toEqual([]);
    });

    it('holds types, other formats, const, nullable, minimum/maximum and additionalProperties: false', () => {
      const held: Array<[Schema, unknown, string]> = [
        [{ type: 'string', format: 'date-time' }, 'x', '(root) must match format "date-time"'],
        [{ type: 'string', format: 'duration' }, '5', '(root) must match format "duration"'],
        [{ type: 'integer', format: 'int32' }, 2 ** 31, '(root) must match format "int32"'],
        [{ type: 'string', const: 'ip' }, 'x', '(root) must be equal to constant'],
        [{ type: 'string' }, null, '(root) must be string'],
        [{ type: 'integer', minimum: 0, maximum: 4294967295 }, -1, '(root) must be >= 0'],
        [{ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { b: 1 }, '(root) must NOT have additional properties'],
        [{ type: 'array', items: false }, [1], '/0 boolean schema is false'],
      ];
      for (const [schema, body, problem] of held) {
        expect(judge(schema, body, 'apoxy'), JSON.stringify(schema)).toEqual([problem]);
        expect(judge({ $ref: '#/components/schemas/T' }, body, 'apoxy', { T: schema }), JSON.stringify(schema)).toEqual([problem]);
      }
      expect(judge({ type: 'string', nullable: true }, null, 'apoxy')).toEqual([]);
    });

    // Leaving a keyword out loosens a schema only where a match is wanted: inside not, if or
    // oneOf it can reject what the document accepts. Apoxy is never stricter than documented.
    it.each([
      ['not', { type: 'object', not: { type: 'object', properties: { legacy: {} }, required: ['legacy'] } }, {}],
      ['if', { type: 'object', if: { properties: { s: {} }, required: ['s'] }, then: { properties: { v: { type: 'string' } } }, else: { properties: { v: { type: 'number' } } } }, { v: 1 }],
      ['oneOf', { type: 'object', oneOf: [{ properties: { a: {} }, required: ['a'] }, { properties: { b: {} }, required: ['b'] }] }, { a: 1 }],
    ] as Array<[string, Schema, unknown]>)('%s: what documented accepts, apoxy accepts', (_, schema, body) => {
      expect(judge(schema, body, 'documented')).toEqual([]);
      expect(judge(schema, body, 'apoxy')).toEqual([]);
      expect(judge({ $ref: '#/components/schemas/T' }, body, 'apoxy', { T: schema })).toEqual([]);
    });
  });
});
