/**
 * response_schema_conformance: a JSON body against the schema openapi.yaml declares for its
 * operation, status and content type (compiled in response-schema.ts), and of the declared
 * kind; each watch event against WatchEvent, its object of the operation's kind.
 */
import type { ContractDocument, Schema } from '../openapi/document.js';
import type { Check, CheckEnv, CheckFailure, ResponseSeen, WatchEventSeen } from './types.js';

const NAME = 'response_schema_conformance';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function kindOf(doc: ContractDocument, schema: Schema | undefined): { apiVersion: string; kind: string } | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return undefined;
  const s = doc.schemas[ref.split('/').pop()!];
  const gvk = (s?.['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined)?.[0];
  if (!gvk) return undefined;
  return { apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind };
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
  const want = kindOf(env.doc, declared.get(contentType) ?? declared.get('application/json'));
  const body = ex.body as Record<string, unknown> | undefined;
  if (want && body && typeof body === 'object') {
    // A 2xx may be a Status where the operation declares one; delete answers the object
    // (finalizers pending) or a Status.
    const alsoStatus = ex.status < 300 && body.kind === 'Status' && [...declared.values()].some((s) => kindOf(env.doc, s)?.kind === 'Status');
    const deleteAlternatives = op.action === 'delete' && (body.kind === op.gvk?.kind || body.kind === 'Status');
    if ((body.kind !== want.kind || body.apiVersion !== want.apiVersion) && !alsoStatus && !deleteAlternatives) {
      out.push({ check: NAME, path: 'kind', message: `expected ${want.apiVersion} ${want.kind}, got ${String(body.apiVersion)} ${String(body.kind)}` });
    }
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
