/**
 * Each check on its own, shown what the runner shows it: what it reports (check, path, message)
 * when its rule is broken, and nothing when it holds, around each of its conditions. The fault test
 * (test/contracts-faults.test.ts) proves each fires in a real run; these pin what it says, fast
 * enough for `npm run mutation`.
 */
import { describe, expect, it } from 'vitest';
import { readContractDocument } from '../openapi/document.js';
import { ResourceSet } from '../openapi/resources.js';
import type { Exchange, Expectation } from '../runner/types.js';
import { ensureResourceAvailability } from './ensure-resource-availability.js';
import { expectedBody } from './expected-body.js';
import { expectedCauses } from './expected-causes.js';
import { expectedHeaders } from './expected-headers.js';
import { expectedMessage } from './expected-message.js';
import { expectedReason } from './expected-reason.js';
import { expectedStatus } from './expected-status.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { notAServerError } from './not-a-server-error.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import { ResponseSchemas } from './response-schema.js';
import { statusCodeConformance } from './status-code-conformance.js';
import { statusObjectConformance } from './status-object-conformance.js';
import { CHECK_REGISTRY } from './registry.js';
import type { CheckEnv, ResponseSeen, WatchEndSeen, WatchEventSeen } from './types.js';
import { useAfterFree } from './use-after-free.js';
import { watchEvents } from './watch-events.js';

const doc = readContractDocument();
const env: CheckEnv = { doc, schemas: ResponseSchemas.for(doc), profile: 'apoxy', resources: ResourceSet.for(doc) };
env.schemas.prepare('apoxy');
const op = (id: string) => doc.operations.find((o) => o.operationId === id)!;
const READ = op('readCoreApoxyDevV1alpha2Backend');
const LIST = op('listCoreApoxyDevV1alpha2Backend');
const CREATE = op('createCoreApoxyDevV1alpha2Backend');
const DELETE = op('deleteCoreApoxyDevV1alpha2Backend');

const backend = (name = 'web', uid = 'u-1') => ({
  kind: 'Backend',
  apiVersion: 'core.apoxy.dev/v1alpha2',
  metadata: { name, uid, resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { endpoints: [{ fqdn: 'web.example.com' }], protocol: 'h2' },
  status: {},
});
const status = (code: number, extra: Record<string, unknown> = {}) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'm', reason: 'NotFound', code, ...extra });

function exchange(o: Partial<Exchange> = {}): Exchange {
  return {
    method: 'GET', url: 'http://x/p', path: '/p', query: {}, stepHeaders: {}, requestHeaders: {}, status: 200,
    responseHeaders: { 'content-type': 'application/json' }, body: backend(), ...o,
  };
}

function response(o: { ex?: Partial<Exchange>; expect?: Expectation; negative?: boolean; watch?: boolean; op?: typeof READ | null; readBackOf?: Exchange; freed?: Map<string, string> } = {}): ResponseSeen {
  return {
    on: 'response', exchange: exchange(o.ex), operation: o.op === null ? undefined : (o.op ?? READ), expect: o.expect ?? {},
    negative: o.negative ?? false, watch: o.watch ?? false, readBackOf: o.readBackOf, freed: o.freed ?? new Map(),
  };
}

const watchLine = (event: { type: string; object: Record<string, unknown> } | undefined, freed = new Map<string, string>(), line = JSON.stringify(event)): WatchEventSeen => ({
  on: 'watch-event', exchange: exchange(), operation: LIST, line, event, freed,
});
const watchEnd = (events: Array<{ type: string; object: Record<string, unknown> }>, expected: WatchEndSeen['expected']): WatchEndSeen => ({ on: 'watch-end', exchange: exchange(), events, expected, timeoutMs: 2000 });

describe('every check', () => {
  it('says what it judges: a contract rule or the step\'s own expectation, described in a line', () => {
    expect(Object.fromEntries(CHECK_REGISTRY.map((c) => [c.name, c.source]))).toEqual({
      not_a_server_error: 'contract', status_code_conformance: 'contract', response_schema_conformance: 'contract', status_object_conformance: 'contract',
      negative_data_rejection: 'contract', use_after_free: 'contract', ensure_resource_availability: 'contract',
      expected_status: 'scenario', expected_reason: 'scenario', expected_message: 'scenario', expected_body: 'scenario', expected_causes: 'scenario',
      expected_headers: 'scenario', watch_events: 'scenario',
    });
    for (const c of CHECK_REGISTRY) expect(c.description, c.name).toMatch(/^[a-z].{20,}$/);
  });

  it('reports nothing about what it does not judge (a response, a watch line, a watch\'s end)', () => {
    const judges: Record<string, Array<'response' | 'watch-event' | 'watch-end'>> = { use_after_free: ['response', 'watch-event'], response_schema_conformance: ['response', 'watch-event'], watch_events: ['watch-end'] };
    // Each shown as broken as it can be: were it judged, it would fail.
    const seen = {
      response: response({ ex: { status: 500, body: 'x' }, op: READ, negative: true, readBackOf: exchange({ body: backend('web', 'u-0') }), freed: new Map([['u-1', 's']]), expect: { status: 201, reason: 'R', message: 'M', messageContains: 'C', body: { a: 1 }, exactBody: {}, causes: [{ field: 'f' }], headers: { h: 'v' } } }),
      'watch-event': watchLine(undefined, new Map([['u-1', 's']]), 'not json'),
      'watch-end': watchEnd([], [{ type: 'ADDED' }]),
    };
    // Where one broken answer cannot break every rule at once.
    const answer: Record<string, Partial<Exchange>> = { status_code_conformance: { status: 599 }, negative_data_rejection: { status: 201 }, use_after_free: { status: 200, body: backend() } };
    for (const c of CHECK_REGISTRY) {
      for (const on of ['response', 'watch-event', 'watch-end'] as const) {
        let shown: ResponseSeen | WatchEventSeen | WatchEndSeen = seen[on];
        if (on === 'response' && answer[c.name]) shown = { ...seen.response, exchange: { ...seen.response.exchange, ...answer[c.name] } };
        if (on === 'watch-event' && c.name === 'use_after_free') shown = watchLine({ type: 'MODIFIED', object: backend() }, new Map([['u-1', 's']]));
        const found = c.check(shown, env);
        if ((judges[c.name] ?? ['response']).includes(on)) expect(found.length, `${c.name} on a ${on}`).toBeGreaterThan(0);
        else expect(found, `${c.name} on a ${on}`).toEqual([]);
      }
    }
  });
});

describe('not_a_server_error', () => {
  const c = (s: number, want?: number | number[]) => notAServerError.check(response({ ex: { status: s }, expect: { status: want } }), env);
  it('reports a 5xx the step did not expect, nothing else', () => {
    expect(c(500)).toEqual([{ check: 'not_a_server_error', message: 'server error 500' }]);
    expect(c(503, 200)).toHaveLength(1);
    expect(c(499)).toEqual([]);
    expect(c(504, 504)).toEqual([]);
    expect(c(500, [409, 500])).toEqual([]);
    expect(notAServerError.check(watchEnd([], []), env)).toEqual([]);
  });
});

describe('status_code_conformance', () => {
  it('reports a status openapi.yaml does not declare for the operation', () => {
    const [f, ...rest] = statusCodeConformance.check(response({ ex: { status: 418 } }), env);
    expect(rest).toEqual([]);
    expect(f.check).toBe('status_code_conformance');
    expect(f.message).toMatch(/^418 is not a status code openapi.yaml declares for readCoreApoxyDevV1alpha2Backend \(declared: 200, .*401.*\)$/);
    expect(statusCodeConformance.check(response({ ex: { status: 200 } }), env)).toEqual([]);
    expect(statusCodeConformance.check(response({ ex: { status: 418 }, op: null }), env)).toEqual([]);
    expect(statusCodeConformance.check(watchEnd([], []), env)).toEqual([]);
  });
});

describe('status_object_conformance', () => {
  const c = (code: number, body: unknown) => statusObjectConformance.check(response({ ex: { status: code, body } }), env);
  it('reports an error that is not a proper Status, and names what is wrong', () => {
    expect(c(404, status(404))).toEqual([]);
    expect(c(404, { ...status(404), kind: 'Other' })).toEqual([{ check: 'status_object_conformance', message: 'error response is not a proper Status: kind "Other" apiVersion "v1"' }]);
    expect(c(404, { ...status(404), apiVersion: 'v2' })[0].message).toBe('error response is not a proper Status: kind "Status" apiVersion "v2"');
    expect(c(404, { ...status(404), status: 'Success' })[0].message).toBe('error response is not a proper Status: status "Success"');
    expect(c(404, status(409))[0].message).toBe('error response is not a proper Status: code 409 for HTTP 404');
    expect(c(404, { ...status(404), reason: '' })[0].message).toBe('error response is not a proper Status: no reason');
    expect(c(404, { ...status(404), reason: 7 })[0].message).toBe('error response is not a proper Status: no reason');
    expect(c(500, { ...status(500), reason: undefined })).toEqual([]); // a plain Go error: reason Unknown
    expect(c(404, { ...status(404), message: undefined })[0].message).toBe('error response is not a proper Status: no message');
    expect(c(404, 'text')[0].message).toBe('error response is not a proper Status: kind undefined apiVersion undefined, status undefined, code undefined for HTTP 404, no reason, no message');
    expect(c(404, null)).toHaveLength(1);
    expect(c(399, 'text')).toEqual([]);
    expect(c(400, 'text')).toHaveLength(1);
  });
});

describe('negative_data_rejection', () => {
  const c = (code: number, negative: boolean) => negativeDataRejection.check(response({ ex: { status: code }, negative }), env);
  it('reports invalid input answered 2xx', () => {
    expect(c(201, true)).toEqual([{ check: 'negative_data_rejection', message: 'invalid input was accepted with 201' }]);
    expect(c(299, true)).toHaveLength(1);
    expect(c(300, true)).toEqual([]);
    expect(c(422, true)).toEqual([]);
    expect(c(201, false)).toEqual([]);
  });
});

describe('use_after_free', () => {
  const freed = new Map([['u-1', 'step "delete"']]);
  it('reports an object, a list item or a watch event that shows a deleted uid again', () => {
    const msg = 'object web uid u-1 was deleted (step "delete") but is served again';
    expect(useAfterFree.check(response({ freed }), env)).toEqual([{ check: 'use_after_free', path: 'metadata.uid', message: msg }]);
    expect(useAfterFree.check(response({ freed, ex: { body: { kind: 'BackendList', items: [backend('a', 'u-2'), backend('web', 'u-1')] } } }), env)).toHaveLength(1);
    expect(useAfterFree.check(response({ freed, ex: { body: backend('web', 'u-9') } }), env)).toEqual([]); // the name reused: another object
    expect(useAfterFree.check(response({ freed, ex: { status: 300 } }), env)).toEqual([]);
    expect(useAfterFree.check(response({ freed, ex: { status: 299 } }), env)).toHaveLength(1);
    expect(useAfterFree.check(response({ freed, watch: true }), env)).toEqual([]);
    expect(useAfterFree.check(watchLine({ type: 'MODIFIED', object: backend() }, freed), env)).toEqual([{ check: 'use_after_free', path: 'metadata.uid', message: msg }]);
    expect(useAfterFree.check(watchLine({ type: 'BOOKMARK', object: backend() }, freed), env)).toEqual([]);
    expect(useAfterFree.check(watchLine({ type: 'ERROR', object: backend() }, freed), env)).toEqual([]);
    expect(useAfterFree.check(watchLine(undefined, freed, 'not json'), env)).toEqual([]);
    expect(useAfterFree.check(watchLine({ type: 'ADDED' } as never, freed), env)).toEqual([]); // no object
    expect(useAfterFree.check(response({ freed, ex: { body: { kind: 'BackendList', items: [{}, backend()] } } }), env)).toHaveLength(1); // an item without metadata
    expect(useAfterFree.check(response({ freed: new Map([['5', 's']]), ex: { body: { ...backend(), metadata: { name: 'n', uid: 5 } } } }), env)).toEqual([]);
    expect(useAfterFree.check(watchEnd([], []), env)).toEqual([]);
  });
});

describe('ensure_resource_availability', () => {
  const created = exchange({ method: 'POST', status: 201, body: backend('web', 'u-1') });
  const c = (o: Partial<Exchange>) => ensureResourceAvailability.check(response({ ex: o, readBackOf: created }), env);
  it('reports a created object that cannot be read back with its uid', () => {
    expect(c({ status: 200 })).toEqual([]);
    expect(c({ status: 404, body: status(404) })).toEqual([{ check: 'ensure_resource_availability', message: 'created web (uid u-1) but reading it back gave 404' }]);
    expect(c({ status: 200, body: backend('web', 'u-2') })).toEqual([{ check: 'ensure_resource_availability', message: 'created web (uid u-1) but reading it back gave 200 uid u-2' }]);
    expect(c({ status: 201 })).toHaveLength(1);
    const nothing = exchange({ method: 'POST', status: 201, body: undefined });
    expect(ensureResourceAvailability.check(response({ ex: { status: 404, body: undefined }, readBackOf: nothing }), env)).toEqual([
      { check: 'ensure_resource_availability', message: 'created undefined (uid undefined) but reading it back gave 404' },
    ]);
    expect(ensureResourceAvailability.check(response({ ex: { status: 404 } }), env)).toEqual([]); // not a read-back
  });
});

describe('expected_status', () => {
  const c = (s: number, want?: number | number[]) => expectedStatus.check(response({ ex: { status: s }, expect: { status: want } }), env);
  it('reports a status the step does not expect', () => {
    expect(c(200, 201)).toEqual([{ check: 'expected_status', message: 'expected status 201, got 200' }]);
    expect(c(200, [201, 409])).toEqual([{ check: 'expected_status', message: 'expected status 201 or 409, got 200' }]);
    expect(c(409, [201, 409])).toEqual([]);
    expect(c(201, 201)).toEqual([]);
    expect(c(500)).toEqual([]);
  });
});

describe('expected_reason', () => {
  const c = (body: unknown, reason?: string) => expectedReason.check(response({ ex: { status: 404, body }, expect: { reason } }), env);
  it('reports a Status reason other than the one the step expects', () => {
    expect(c(status(404), 'NotFound')).toEqual([]);
    expect(c(status(404), 'Gone')).toEqual([{ check: 'expected_reason', path: 'reason', message: 'expected reason Gone, got "NotFound"' }]);
    expect(c('text', 'Gone')).toEqual([{ check: 'expected_reason', path: 'reason', message: 'expected reason Gone, got undefined' }]);
    expect(c(undefined, 'Gone')).toEqual([{ check: 'expected_reason', path: 'reason', message: 'expected reason Gone, got undefined' }]);
    expect(c(status(404))).toEqual([]);
  });
});

describe('expected_message', () => {
  const c = (message: unknown, e: Expectation) => expectedMessage.check(response({ ex: { status: 404, body: { ...status(404), message } }, expect: e }), env);
  it('reports a message that is not the expected one, or lacks the expected words', () => {
    expect(c('not found', { message: 'not found' })).toEqual([]);
    expect(c('not found.', { message: 'not found' })).toEqual([{ check: 'expected_message', path: 'message', message: 'expected message "not found", got "not found."' }]);
    expect(c('a b c', { messageContains: 'b' })).toEqual([]);
    expect(c('a c', { messageContains: 'b' })).toEqual([{ check: 'expected_message', path: 'message', message: 'expected message containing "b", got "a c"' }]);
    expect(c(42, { messageContains: '4' })).toHaveLength(1);
    expect(expectedMessage.check(response({ ex: { status: 404, body: undefined }, expect: { message: 'm' } }), env)).toEqual([{ check: 'expected_message', path: 'message', message: 'expected message "m", got undefined' }]);
    expect(c('x', { message: 'y', messageContains: 'z' })).toHaveLength(2);
    expect(c('x', {})).toEqual([]);
    expect(expectedMessage.check(watchEnd([], []), env)).toEqual([]);
  });
});

describe('expected_causes', () => {
  const causes = [{ field: 'spec.endpoints', reason: 'FieldValueRequired', message: 'Required value' }];
  const body = status(422, { details: { causes } });
  const c = (causes: Array<Record<string, string>> | undefined, b: unknown = body) => expectedCauses.check(response({ ex: { status: 422, body: b }, expect: { causes } }), env);
  it('reports a listed cause that is missing (each listed key must match)', () => {
    expect(c([{ field: 'spec.endpoints' }])).toEqual([]);
    expect(c([{ field: 'spec.endpoints', reason: 'FieldValueRequired' }])).toEqual([]);
    const [f, ...rest] = c([{ field: 'spec.endpoints', reason: 'FieldValueInvalid' }]);
    expect(rest).toEqual([]);
    expect(f).toEqual({ check: 'expected_causes', path: 'details.causes', message: `no cause {"field":"spec.endpoints","reason":"FieldValueInvalid"} among ${JSON.stringify(causes)}` });
    expect(c([{ field: 'a' }, { field: 'b' }])).toHaveLength(2);
    expect(c([{ field: 'a' }], status(422))[0].message).toBe('no cause {"field":"a"} among []');
    expect(c(undefined)).toEqual([]);
  });
});

describe('expected_headers', () => {
  const c = (headers: Record<string, string>, want: Record<string, unknown>) => expectedHeaders.check(response({ ex: { responseHeaders: headers }, expect: { headers: want } }), env);
  it('reports a header that differs from the step, by value or matcher, named as the step wrote it', () => {
    expect(c({ warning: '299 - "x"' }, { Warning: { contains: 'x' } })).toEqual([]);
    expect(c({ warning: '299 - "y"' }, { Warning: { contains: 'x' } })).toEqual([{ check: 'expected_headers', path: 'header:Warning', message: 'header Warning: expected to contain "x", got "299 - \\"y\\""' }]);
    expect(c({}, { warning: { exists: false } })).toEqual([]);
    expect(c({ warning: 'w' }, { warning: { exists: false } })).toHaveLength(1);
    expect(c({ 'retry-after': '1' }, { 'Retry-After': '1' })).toEqual([]);
    expect(c({ 'retry-after': '2' }, { 'Retry-After': '1' })).toHaveLength(1);
    expect(expectedHeaders.check(watchEnd([], []), env)).toEqual([]);
  });
});

describe('expected_body', () => {
  const c = (body: unknown, e: Expectation) => expectedBody.check(response({ ex: { body }, expect: e }), env);
  it('reports each path that differs, and each difference from an exact body', () => {
    expect(c(backend(), { body: { 'spec.protocol': 'h2', 'metadata.name': { matches: '^w' } } })).toEqual([]);
    expect(c(backend(), { body: { 'spec.protocol': 'tls', 'metadata.uid': { not: 'u-1' } } })).toEqual([
      { check: 'expected_body', path: 'spec.protocol', message: 'spec.protocol: expected "tls", got "h2"' },
      { check: 'expected_body', path: 'metadata.uid', message: 'metadata.uid: expected anything but "u-1"' },
    ]);
    expect(c({ a: 1 }, { exactBody: { a: 1 } })).toEqual([]);
    expect(c({ a: 1, b: 2 }, { exactBody: { a: 1 } })).toEqual([{ check: 'expected_body', path: 'b', message: 'b: expected absent, got 2' }]);
    expect(c({ a: 2 }, { exactBody: { a: 1 } })).toEqual([{ check: 'expected_body', path: 'a', message: 'a: expected 1, got 2' }]);
    expect(c('x', { exactBody: { a: 1 } })[0].message).toBe('(the whole body): expected {"a":1}, got "x"');
    expect(expectedBody.check(watchEnd([], []), env)).toEqual([]);
  });
});

describe('watch_events', () => {
  const ev = (type: string, protocol = 'h2') => ({ type, object: { ...backend(), spec: { protocol } } });
  it('reports a missing, a wrong or a different event, in order', () => {
    const want = [{ type: 'ADDED' as const, object: { 'spec.protocol': 'h2' } }, { type: 'MODIFIED' as const, object: { 'spec.protocol': 'tls' } }];
    expect(watchEvents.check(watchEnd([ev('ADDED'), ev('MODIFIED', 'tls')], want), env)).toEqual([]);
    expect(watchEvents.check(watchEnd([ev('ADDED')], want), env)).toEqual([
      { check: 'watch_events', path: 'events[1]', message: 'event 2: expected MODIFIED, none arrived within 2000 ms (got ADDED)' },
    ]);
    expect(watchEvents.check(watchEnd([], want.slice(0, 1)), env)[0].message).toBe('event 1: expected ADDED, none arrived within 2000 ms (got nothing)');
    expect(watchEvents.check(watchEnd([ev('ADDED'), ev('MODIFIED', 'tls')], [...want, { type: 'DELETED' }]), env)[0].message).toBe('event 3: expected DELETED, none arrived within 2000 ms (got ADDED, MODIFIED)');
    expect(watchEvents.check(watchEnd([ev('ADDED'), ev('DELETED')], want), env)).toEqual([
      { check: 'watch_events', path: 'events[1].type', message: 'event 2: expected MODIFIED, got DELETED (all: ADDED, DELETED)' },
    ]);
    expect(watchEvents.check(watchEnd([ev('ADDED'), ev('MODIFIED')], want), env)).toEqual([
      { check: 'watch_events', path: 'events[1].object.spec.protocol', message: 'event 2 (MODIFIED) object.spec.protocol: expected "tls", got "h2"' },
    ]);
    expect(watchEvents.check(watchEnd([ev('ADDED'), ev('MODIFIED', 'tls'), ev('DELETED')], want), env)).toEqual([]); // more than expected is not judged here
    expect(watchEvents.check(response(), env)).toEqual([]);
  });
});

describe('response_schema_conformance', () => {
  const c = (o: Parameters<typeof response>[0]) => responseSchemaConformance.check(response(o), env);
  it('reports a body that breaks its declared schema, or of another kind', () => {
    expect(c({})).toEqual([]);
    const broken = c({ ex: { body: { ...backend(), metadata: { ...backend().metadata, resourceVersion: 5 } } } });
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0]).toMatchObject({ check: 'response_schema_conformance', message: expect.stringMatching(/^readCoreApoxyDevV1alpha2Backend 200: .*resourceVersion/) });
    expect(c({ ex: { body: { ...backend(), kind: 'Other' } } })).toContainEqual({ check: 'response_schema_conformance', path: 'kind', message: 'expected core.apoxy.dev/v1alpha2 Backend, got core.apoxy.dev/v1alpha2 Other' });
    expect(c({ ex: { body: { ...backend(), apiVersion: 'core.apoxy.dev/v1alpha' } } })).toContainEqual(expect.objectContaining({ path: 'kind' }));
    expect(c({ op: LIST, ex: { body: { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] } } })).toContainEqual(expect.objectContaining({ path: 'kind' }));
    // A delete may answer the object or a Status; a 2xx may be a Status where one is declared.
    expect(c({ op: DELETE, ex: { body: backend() } })).toEqual([]);
    expect(c({ op: DELETE, ex: { body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } } })).toEqual([]);
    expect(c({ op: DELETE, ex: { body: { ...backend(), kind: 'Other' } } })).toContainEqual({ check: 'response_schema_conformance', path: 'kind', message: 'expected v1 Status or core.apoxy.dev/v1alpha2 Backend, got core.apoxy.dev/v1alpha2 Other' });
    // A body that is not an object has no kind to judge (its schema errors say what is wrong).
    expect(c({ ex: { body: 'text' } }).filter((f) => f.path === 'kind')).toEqual([]);
    expect(c({ ex: { body: null } }).filter((f) => f.path === 'kind')).toEqual([]);
    expect(c({ ex: { body: 'text' } }).length).toBeGreaterThan(0);
    expect(c({ op: DELETE, ex: { status: 202, body: backend() } })).toEqual([]);
    expect(c({ op: READ, ex: { body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } } })).toContainEqual(expect.objectContaining({ path: 'kind' })); // read declares no Status
    expect(c({ op: READ, ex: { status: 404, body: backend() } })).toContainEqual(expect.objectContaining({ path: 'kind', message: 'expected v1 Status, got core.apoxy.dev/v1alpha2 Backend' }));
    expect(c({ op: CREATE, ex: { status: 201, body: { ...backend(), kind: 'Status' } } }).length).toBeGreaterThan(0);
    // Not judged: an undeclared status, no operation, a watch stream, a body that is not JSON.
    expect(c({ ex: { status: 418, body: 'x' } })).toEqual([]);
    expect(c({ op: null, ex: { body: 'x' } })).toEqual([]);
    expect(c({ op: LIST, watch: true, ex: { body: 'x' } })).toEqual([]);
    expect(c({ op: LIST, watch: true, ex: { status: 400, body: 'x' } }).length).toBeGreaterThan(0);
    expect(c({ ex: { body: 'x', responseHeaders: { 'content-type': 'application/yaml' } } })).toEqual([]);
    expect(c({ ex: { body: 'x', responseHeaders: {} } })).toEqual([]);
  });

  it('judges a Table answer by the Table schema', () => {
    const table = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions: [], rows: [] };
    const asTable = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
    expect(c({ op: LIST, ex: { requestHeaders: asTable, body: table } }).filter((f) => f.path !== 'kind')).toEqual([]);
    expect(c({ op: LIST, ex: { requestHeaders: asTable, body: { ...table, rows: 'x' } } }).filter((f) => f.path !== 'kind').length).toBeGreaterThan(0);
  });

  it('judges each watch event, and its object kind', () => {
    const w = (e: { type: string; object: Record<string, unknown> } | undefined, line?: string) => responseSchemaConformance.check(watchLine(e, new Map(), line), env);
    expect(w({ type: 'ADDED', object: backend() })).toEqual([]);
    expect(w(undefined, 'not json')).toEqual([{ check: 'response_schema_conformance', message: 'watch line is not JSON: not json' }]);
    expect(w(undefined, 'x'.repeat(500))[0].message).toBe(`watch line is not JSON: ${'x'.repeat(200)}`);
    expect(w({ type: 7 as unknown as string, object: backend() })[0].message).toMatch(/^watch event: \/type must be string/);
    expect(w({ type: 'BOOKMARK', object: { apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '5' } } }).filter((f) => f.path === 'object.kind')).toEqual([]);
    expect(w({ type: 'ADDED', object: { ...backend(), kind: 'Other' } })).toContainEqual({ check: 'response_schema_conformance', path: 'object.kind', message: 'watch event object of kind "Other"' });
    expect(w({ type: 'BOOKMARK', object: { kind: 'Backend', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '5' } } })).toEqual([]);
    expect(w({ type: 'ERROR', object: status(410) }).filter((f) => f.path === 'object.kind')).toEqual([]);
    expect(w({ type: 7 as unknown as string, object: backend() }).length).toBeGreaterThan(0);
    expect(w({ type: 'ADDED' } as never)).toContainEqual({ check: 'response_schema_conformance', path: 'object.kind', message: 'watch event object of kind undefined' });
    expect(responseSchemaConformance.check({ ...watchLine({ type: 'ADDED', object: backend() }), operation: undefined }, env)).toEqual([]);
    expect(responseSchemaConformance.check(watchEnd([], []), env)).toEqual([]);
  });
});
