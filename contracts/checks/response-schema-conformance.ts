/**
 * response_schema_conformance: a JSON body against the schema openapi.yaml declares for its
 * operation, status and content type (compiled in response-schema.ts), and of the declared
 * kind; each watch event against WatchEvent, its object of the operation's kind.
 */
import type { ContractDocument, Schema } from '../openapi/document.js';
import type { Check, CheckEnv, CheckFailure, ResponseSeen, WatchEventSeen } from './types.js';

const NAME = 'response_schema_conformance';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Kind {
  apiVersion: string;
  kind: string;
}

/** meta/v1 Status, whose schema carries no x-kubernetes-group-version-kind. */
const STATUS_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

/**
 * The kinds a declared schema allows: the kind of its `$ref`, or of each `$ref` of an `anyOf` or
 * `oneOf` (a delete answers the object or a Status). Undefined when one of them names no kind:
 * then the kind is not judged.
 */
function kindsOf(doc: ContractDocument, schema: Schema | undefined): Kind[] | undefined {
  const alternatives = (schema?.anyOf ?? schema?.oneOf ?? [schema]) as Array<Schema | undefined>;
  const kinds: Kind[] = [];
  for (const alt of alternatives) {
    const name = typeof alt?.$ref === 'string' ? alt.$ref.split('/').pop()! : '';
    const gvk = (doc.schemas[name]?.['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined)?.[0];
    if (gvk) kinds.push({ apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind });
    else if (name === STATUS_SCHEMA) kinds.push({ apiVersion: 'v1', kind: 'Status' });
    else return undefined;
  }
  return kinds;
}

function response(seen: ResponseSeen, env: CheckEnv): CheckFailure[] {
  const { exchange: ex, operation: op } = seen;
  const declared = op?.responses.get(ex.status);
  if (!op || !declared) return []; // an undeclared status is status_code_conformance's
  if (seen.watch && ex.status === 200) return []; // a stream: its events are judged one by one
  if (!/json/.test(ex.responseHeaders['content-type'] ?? '')) return []; // YAML and empty bodies are not what the scenarios ask for
  const accept = ex.requestHeaders['accept'] ?? ex.requestHeaders['Accept'] ?? '';
  const contentType = /as=Table/.test(accept) ? TABLE : 'application/json';
  const out: CheckFailure[] = env.schemas.check(op.operationId, ex.status, contentType, ex.body, env.profile).map((p) => ({ check: NAME, message: `${op.operationId} ${ex.status}: ${p}` }));
  const want = kindsOf(env.doc, declared.get(contentType) ?? declared.get('application/json'));
  const body = ex.body as Record<string, unknown> | null;
  if (want && body && typeof body === 'object' && !want.some((k) => body.kind === k.kind && body.apiVersion === k.apiVersion)) {
    const names = want.map((k) => `${k.apiVersion} ${k.kind}`).join(' or ');
    out.push({ check: NAME, path: 'kind', message: `expected ${names}, got ${String(body.apiVersion)} ${String(body.kind)}` });
  }
  return out;
}

function watchEvent(seen: WatchEventSeen, env: CheckEnv): CheckFailure[] {
  if (!seen.event) return [{ check: NAME, message: `watch line is not JSON: ${seen.line.slice(0, 200)}` }];
  const op = seen.operation;
  if (!op) return [];
  const out: CheckFailure[] = env.schemas.check(op.operationId, 200, 'application/json;stream=watch', seen.event, env.profile).map((p) => ({ check: NAME, message: `watch event: ${p}` }));
  const ev = seen.event;
  if (ev.type !== 'BOOKMARK' && ev.type !== 'ERROR' && op.gvk && ev.object?.kind !== op.gvk.kind) {
    out.push({ check: NAME, path: 'object.kind', message: `watch event object of kind ${JSON.stringify(ev.object?.kind)}` });
  }
  return out;
}

export const responseSchemaConformance: Check = {
  name: NAME,
  description: "the body does not match the schema openapi.yaml declares for the operation, status and content type, or not its kind",
  source: 'contract',
  check(seen, env) {
    if (seen.on === 'response') return response(seen, env);
    if (seen.on === 'watch-event') return watchEvent(seen, env);
    return [];
  },
};
