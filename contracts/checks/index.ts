/**
 * The checks every response goes through, whatever the scenario says. Names follow
 * Schemathesis where the meaning is the same (not_a_server_error, status_code_conformance,
 * response_schema_conformance, negative_data_rejection, use_after_free,
 * ensure_resource_availability); the others are this suite's own.
 */
import type { ContractDocument, ContractOperation } from '../openapi/document.js';
import type { Exchange, Profile } from '../runner/types.js';
import type { ResponseSchemas } from './response-schema.js';

export { ResponseSchemas, RELAXED_UNDER_APOXY } from './response-schema.js';

export const CHECKS = {
  notAServerError: 'not_a_server_error',
  statusCodeConformance: 'status_code_conformance',
  responseSchemaConformance: 'response_schema_conformance',
  negativeDataRejection: 'negative_data_rejection',
  useAfterFree: 'use_after_free',
  ensureResourceAvailability: 'ensure_resource_availability',
  /** Every error is a meta/v1 Status whose code is the HTTP status and which names a reason. */
  statusObjectConformance: 'status_object_conformance',
  expectedStatus: 'expected_status',
  expectedReason: 'expected_reason',
  expectedMessage: 'expected_message',
  expectedBody: 'expected_body',
  expectedCauses: 'expected_causes',
  expectedHeaders: 'expected_headers',
  watchEvents: 'watch_events',
  transport: 'transport',
  /** The scenario asked for a request that could touch an object the run did not create; not sent. */
  unsafeRequest: 'unsafe_request',
} as const;

export interface CheckFailure {
  check: string;
  message: string;
  path?: string;
}

interface Route {
  op: ContractOperation;
  re: RegExp;
}

/** Matches requests to the document's operations (method + path template), built once. */
export class OperationMatcher {
  private routes: Route[];
  constructor(doc: ContractDocument) {
    this.routes = doc.operations.map((op) => ({
      op,
      re: new RegExp('^' + op.path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
    }));
  }
  match(method: string, pathname: string): ContractOperation | undefined {
    return this.routes.find((r) => r.op.method === method.toLowerCase() && r.re.test(pathname))?.op;
  }
}

function kindOf(doc: ContractDocument, schema: unknown): { apiVersion: string; kind: string } | undefined {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  if (!ref) return undefined;
  const s = doc.schemas[ref.split('/').pop()!] as Record<string, unknown> | undefined;
  const gvk = (s?.['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined)?.[0];
  if (!gvk) return undefined;
  return { apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind };
}

function isJson(ct: string | undefined): boolean {
  return !!ct && /json/.test(ct);
}

/**
 * Per-response checks: server errors, undeclared status codes, the body against the schema
 * openapi.yaml declares for the operation and status (response-schema.ts: the suite's own Ajv
 * compilation of the document), the declared kind, and the Status shape of errors.
 */
export function responseChecks(
  doc: ContractDocument,
  schemas: ResponseSchemas,
  op: ContractOperation | undefined,
  ex: Exchange,
  profile: Profile,
  opts: { serverErrorExpected: boolean; watch?: boolean },
): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (ex.status >= 500 && !opts.serverErrorExpected) out.push({ check: CHECKS.notAServerError, message: `server error ${ex.status}` });
  if (!op) return out;
  const declared = op.responses.get(ex.status);
  if (!declared) {
    out.push({ check: CHECKS.statusCodeConformance, message: `${ex.status} is not a status code openapi.yaml declares for ${op.operationId} (declared: ${[...op.responses.keys()].join(', ')})` });
    return out;
  }
  if (opts.watch) return out; // watch events are checked one by one
  const ct = ex.responseHeaders['content-type'] ?? '';
  if (!isJson(ct)) return out; // YAML and empty bodies are not what the scenarios ask for
  const accept = ex.requestHeaders['accept'] ?? ex.requestHeaders['Accept'] ?? '';
  const declaredCt = /as=Table/.test(accept) ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json';
  for (const p of schemas.check(op.operationId, ex.status, declaredCt, ex.body, profile)) {
    out.push({ check: CHECKS.responseSchemaConformance, message: `${op.operationId} ${ex.status}: ${p}` });
  }
  const schema = declared.get(declaredCt) ?? declared.get('application/json');
  const want = kindOf(doc, schema);
  const body = ex.body as Record<string, unknown> | undefined;
  if (want && body && typeof body === 'object') {
    // Delete answers either the object (finalizers pending) or a Status: both declared kinds.
    const alsoStatus = ex.status < 300 && body.kind === 'Status' && [...declared.values()].some((s) => kindOf(doc, s)?.kind === 'Status');
    const deleteAlternatives = op.action === 'delete' && (body.kind === 'Backend' || body.kind === 'Status');
    if ((body.kind !== want.kind || body.apiVersion !== want.apiVersion) && !alsoStatus && !deleteAlternatives) {
      out.push({ check: CHECKS.responseSchemaConformance, path: 'kind', message: `expected ${want.apiVersion} ${want.kind}, got ${String(body.apiVersion)} ${String(body.kind)}` });
    }
  }
  if (ex.status >= 400) {
    const s = body ?? {};
    const problems: string[] = [];
    if (s.kind !== 'Status' || s.apiVersion !== 'v1') problems.push(`kind ${JSON.stringify(s.kind)} apiVersion ${JSON.stringify(s.apiVersion)}`);
    if (s.status !== 'Failure') problems.push(`status ${JSON.stringify(s.status)}`);
    if (s.code !== ex.status) problems.push(`code ${JSON.stringify(s.code)} for HTTP ${ex.status}`);
    // Only a 500 may lack a reason: k8s.io/apiserver reports a plain Go error as reason Unknown ("").
    if ((typeof s.reason !== 'string' || !s.reason) && ex.status !== 500) problems.push('no reason');
    if (typeof s.message !== 'string') problems.push('no message');
    if (problems.length) out.push({ check: CHECKS.statusObjectConformance, message: `error response is not a proper Status: ${problems.join(', ')}` });
  }
  return out;
}

/** Every object in a response body: the object itself, list items, a watch event's object. */
export function objectsIn(body: unknown): Array<Record<string, unknown>> {
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.items)) return b.items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
  if (b.kind === 'Backend') return [b];
  return [];
}

/**
 * use_after_free, keyed by uid: a name may be legitimately reused, a uid never. Once a delete
 * completed (a Success Status, or a DELETED watch event), no response may show that uid again.
 */
export class UidTracker {
  private freed = new Map<string, string>();
  private uidByName = new Map<string, string>();

  seen(objects: Array<Record<string, unknown>>): CheckFailure[] {
    const out: CheckFailure[] = [];
    for (const o of objects) {
      const m = o.metadata as Record<string, unknown> | undefined;
      const uid = m?.uid as string | undefined;
      if (!uid) continue;
      const where = this.freed.get(uid);
      if (where) out.push({ check: CHECKS.useAfterFree, path: 'metadata.uid', message: `object ${String(m?.name)} uid ${uid} was deleted (${where}) but is served again` });
      else if (m?.name) this.uidByName.set(String(m.name), uid);
    }
    return out;
  }

  /** A delete of `name` finished: the uid it had is gone for good. */
  deleted(name: string, uid: string | undefined, where: string) {
    const u = uid ?? this.uidByName.get(name);
    if (u) this.freed.set(u, where);
  }
}
