/**
 * Loads openapi.yaml once at start-up and indexes what the emulator is built from: its
 * operations (path, method, x-kubernetes-action, parameters, request content types, response
 * codes) and its component schemas.
 */
import { readFileSync } from 'node:fs';
import { readShipped, shippedLocation } from '../../shipped/files.js';
import { parseYamlCached } from './parse-cache.js';
import type { OpenAPIV3 } from 'openapi-types';

export type KubeAction = 'list' | 'post' | 'deletecollection' | 'get' | 'put' | 'patch' | 'delete';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Operation {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. /apis/core.apoxy.dev/v1alpha2/backends/{name}/status */
  path: string;
  action: KubeAction;
  gvk: GroupVersionKind;
  /** Plural resource name and subresource, read from the path. */
  resource: string;
  subresource?: string;
  /** Query parameters by name, resolved. */
  query: Map<string, OpenAPIV3.ParameterObject & { schema: OpenAPIV3.SchemaObject }>;
  /** Request body content types this operation accepts. */
  requestContentTypes: string[];
  /** Declared response schemas by status code and content type. */
  responses: Map<number, Map<string, OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject>>;
}

export interface ApiDocument {
  raw: OpenAPIV3.Document;
  /** The file it was read from. */
  file: string;
  operations: Operation[];
  schemas: Record<string, OpenAPIV3.SchemaObject>;
  /** The component key of the schema for a kind, found by x-kubernetes-group-version-kind. */
  schemaKeyForKind(gvk: GroupVersionKind): string;
}

function deref<T>(doc: OpenAPIV3.Document, obj: T | OpenAPIV3.ReferenceObject): T {
  let cur: unknown = obj;
  while (cur && typeof cur === 'object' && '$ref' in (cur as object)) {
    const ref = (cur as OpenAPIV3.ReferenceObject).$ref;
    const parts = ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    cur = parts.reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], doc);
    if (cur === undefined) throw new Error(`openapi.yaml: unresolved $ref ${ref}`);
  }
  return cur as T;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Reads a document: the package's own openapi.yaml, or another file (a test's scratch API). */
export function loadDocument(path?: string): ApiDocument {
  const file = path ?? shippedLocation('openapi.yaml');
  const raw = parseYamlCached(path ? readFileSync(path, 'utf8') : readShipped('openapi.yaml')) as OpenAPIV3.Document;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(raw.paths ?? {})) {
    if (!item) continue;
    const pathParams = (item.parameters ?? []).map((p) => deref<OpenAPIV3.ParameterObject>(raw, p));
    for (const method of METHODS) {
      const op = item[method] as (OpenAPIV3.OperationObject & Record<string, unknown>) | undefined;
      if (!op) continue;
      const action = op['x-kubernetes-action'] as KubeAction;
      const gvk = op['x-kubernetes-group-version-kind'] as GroupVersionKind;
      if (!action || !gvk) throw new Error(`openapi.yaml: ${method.toUpperCase()} ${path} lacks x-kubernetes-action or x-kubernetes-group-version-kind`);
      const m = /\/apis\/[^/]+\/[^/]+\/([^/{}]+)(?:\/\{name\}(?:\/([^/]+))?)?$/.exec(path);
      if (!m) throw new Error(`openapi.yaml: cannot read the resource from path ${path}`);
      const query: Operation['query'] = new Map();
      for (const p of [...pathParams, ...(op.parameters ?? []).map((p) => deref<OpenAPIV3.ParameterObject>(raw, p))]) {
        if (p.in === 'query') query.set(p.name, { ...p, schema: deref<OpenAPIV3.SchemaObject>(raw, p.schema ?? { type: 'string' }) });
      }
      const body = op.requestBody ? deref<OpenAPIV3.RequestBodyObject>(raw, op.requestBody) : undefined;
      const responses: Operation['responses'] = new Map();
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        const resp = deref<OpenAPIV3.ResponseObject>(raw, r);
        const content = new Map<string, OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject>();
        for (const [ct, media] of Object.entries(resp.content ?? {})) if (media.schema) content.set(ct, media.schema);
        responses.set(Number(code), content);
      }
      operations.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method,
        path,
        action,
        gvk,
        resource: m[1],
        subresource: m[2],
        query,
        requestContentTypes: Object.keys(body?.content ?? {}),
        responses,
      });
    }
  }
  const schemas = (raw.components?.schemas ?? {}) as Record<string, OpenAPIV3.SchemaObject>;
  return {
    raw,
    file,
    operations,
    schemas,
    schemaKeyForKind(gvk) {
      for (const [key, s] of Object.entries(schemas)) {
        const gvks = (s as Record<string, unknown>)['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined;
        if (gvks?.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) return key;
      }
      throw new Error(`openapi.yaml: no schema with x-kubernetes-group-version-kind ${gvk.group}/${gvk.version} ${gvk.kind}`);
    },
  };
}
