/**
 * The Swagger 2.0 document kube-apiserver serves at /openapi/v2, generated from openapi.yaml
 * (OpenAPI 3.0) the way kube-openapi's v2 builder lays it out: one document for every path,
 * `#/definitions/<key>` for each component schema, non-body parameters flattened (`type`,
 * `enum` beside `name`), the request body as a `body` parameter (metav1.Patch for patch
 * operations), `consumes`/`produces` per operation, and the `x-kubernetes-*` extensions kept
 * where they are (kubectl finds a kind's PATCH operation by `x-kubernetes-group-version-kind`).
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { ApiDocument } from './document.js';

type Json = Record<string, unknown>;

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';
/** kube-openapi gives every patch operation this body (the handler accepts several patch formats). */
const PATCH_BODY_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** Schema keywords that mean the same in Swagger 2.0 (others: `nullable` has no v2 form). */
const SCHEMA_KEYWORDS = new Set([
  'type', 'format', 'title', 'description', 'default', 'enum', 'required', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'readOnly', 'example', 'multipleOf',
]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An OpenAPI 3.0 schema as a Swagger 2.0 schema. */
export function schemaV2(schema: unknown): Json {
  if (!isObject(schema)) return {};
  const s = schema;
  // `allOf: [{$ref}]` beside a description or default (OpenAPI 3.0's way to annotate a ref) is
  // written as the ref with its siblings, as kube-openapi's v2 documents do.
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && isObject(s.allOf[0]) && typeof s.allOf[0].$ref === 'string' && !s.type && !s.properties) {
    const { allOf: _allOf, ...rest } = s;
    return schemaV2({ ...rest, $ref: s.allOf[0].$ref });
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') out.$ref = String(v).replace(V3_REF, V2_REF);
    else if (k === 'properties' && isObject(v)) out.properties = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, schemaV2(p)]));
    else if (k === 'items') out.items = schemaV2(v);
    else if (k === 'additionalProperties') out.additionalProperties = typeof v === 'boolean' ? v : schemaV2(v);
    else if (k === 'allOf') out.allOf = (v as unknown[]).map(schemaV2);
    else if (SCHEMA_KEYWORDS.has(k) || k.startsWith('x-')) out[k] = v;
  }
  return out;
}

function deref<T>(doc: OpenAPIV3.Document, obj: unknown): T {
  let cur = obj;
  while (isObject(cur) && typeof cur.$ref === 'string') {
    const parts = cur.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    cur = parts.reduce<unknown>((o, p) => (o as Json | undefined)?.[p], doc);
  }
  return cur as T;
}

/** A non-body parameter: its schema's keywords move up beside `name` and `in`. */
function parameterV2(doc: OpenAPIV3.Document, p: unknown): Json {
  const param = deref<OpenAPIV3.ParameterObject>(doc, p);
  const schema = deref<Json>(doc, param.schema ?? { type: 'string' });
  const out: Json = { name: param.name, in: param.in };
  if (param.description) out.description = param.description;
  if (param.required || param.in === 'path') out.required = true;
  for (const k of ['type', 'format', 'enum', 'default', 'maximum', 'minimum']) if (schema[k] !== undefined) out[k] = schema[k];
  // kube-openapi marks every query parameter uniqueItems (go-restful's parameter default).
  if (param.in === 'query') out.uniqueItems = true;
  for (const [k, v] of Object.entries(param)) if (k.startsWith('x-')) out[k] = v;
  return out;
}

function operationV2(doc: OpenAPIV3.Document, op: OpenAPIV3.OperationObject & Json, action: string | undefined): Json {
  const out: Json = {};
  if (op.description) out.description = op.description;
  if (op.summary) out.summary = op.summary;
  const body = op.requestBody ? deref<OpenAPIV3.RequestBodyObject>(doc, op.requestBody) : undefined;
  const consumes = Object.keys(body?.content ?? {});
  if (consumes.length) out.consumes = consumes;
  const produces = new Set<string>();
  const responses: Json = {};
  for (const [code, r] of Object.entries(op.responses ?? {})) {
    const resp = deref<OpenAPIV3.ResponseObject>(doc, r);
    const content = resp.content ?? {};
    if (/^2/.test(code)) for (const ct of Object.keys(content)) produces.add(ct);
    const media = content['application/json'] ?? Object.values(content)[0];
    responses[code] = { description: resp.description ?? '', ...(media?.schema ? { schema: schemaV2(media.schema) } : {}) };
  }
  if (produces.size) out.produces = [...produces];
  out.schemes = ['https'];
  if (op.tags) out.tags = op.tags;
  if (op.operationId) out.operationId = op.operationId;
  const parameters = (op.parameters ?? []).map((p) => parameterV2(doc, p));
  if (body) {
    const schemas = Object.values(body.content ?? {}).map((m) => JSON.stringify(m.schema ?? {}));
    const same = new Set(schemas).size === 1;
    const bodySchema = action === 'patch' || !same ? { $ref: V3_REF + PATCH_BODY_SCHEMA } : Object.values(body.content ?? {})[0].schema;
    parameters.unshift({ name: 'body', in: 'body', required: body.required ?? false, ...(body.description ? { description: body.description } : {}), schema: schemaV2(bodySchema) });
  }
  if (parameters.length) out.parameters = parameters;
  out.responses = responses;
  for (const [k, v] of Object.entries(op)) if (k.startsWith('x-')) out[k] = v;
  return out;
}

/** The whole Swagger 2.0 document for openapi.yaml. */
export function swaggerV2(doc: ApiDocument): Json {
  const raw = doc.raw;
  const paths: Json = {};
  for (const [path, item] of Object.entries(raw.paths ?? {})) {
    if (!item) continue;
    const out: Json = {};
    for (const method of METHODS) {
      const op = item[method] as (OpenAPIV3.OperationObject & Json) | undefined;
      if (op) out[method] = operationV2(raw, op, op['x-kubernetes-action'] as string | undefined);
    }
    if (item.parameters?.length) out.parameters = item.parameters.map((p) => parameterV2(raw, p));
    paths[path] = out;
  }
  const definitions = Object.fromEntries(Object.entries(doc.schemas).map(([key, s]) => [key, schemaV2(s)]));
  return { swagger: '2.0', info: { title: raw.info.title, version: raw.info.version }, paths, definitions };
}
