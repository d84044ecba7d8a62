/**
 * The Swagger 2.0 document as gnostic's openapi_v2.Document protobuf, the form kubectl 1.20-1.28
 * ask /openapi/v2 for. The message schema is proto/openapi_v2.proto (gnostic's field names and
 * numbers); protobufjs encodes it. As in gnostic's compiler, every free-form JSON value
 * (`default`, `enum` entries, `x-*` extensions) is carried as YAML text in an `Any`.
 */
import protobuf from 'protobufjs';
import { stringify as toYaml } from 'yaml';
import { readShipped } from '../../shipped/files.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** proto/openapi_v2.proto, shipped beside openapi.yaml. */
function loadDocumentType(): protobuf.Type {
  return protobuf.parse(readShipped('proto/openapi_v2.proto'), { keepCase: true }).root.lookupType('openapi.v2.Document');
}

const anyOf = (v: unknown) => ({ yaml: toYaml(v) });

function extensions(o: Json) {
  return Object.entries(o)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, v]) => ({ name, value: anyOf(v) }));
}

function schemaMessage(s: Json): Json {
  const ap = s.additionalProperties;
  return {
    _ref: s.$ref,
    format: s.format,
    title: s.title,
    description: s.description,
    default: s.default === undefined ? undefined : anyOf(s.default),
    multiple_of: s.multipleOf,
    maximum: s.maximum,
    exclusive_maximum: s.exclusiveMaximum,
    minimum: s.minimum,
    exclusive_minimum: s.exclusiveMinimum,
    max_length: s.maxLength,
    min_length: s.minLength,
    pattern: s.pattern,
    max_items: s.maxItems,
    min_items: s.minItems,
    unique_items: s.uniqueItems,
    max_properties: s.maxProperties,
    min_properties: s.minProperties,
    required: s.required,
    enum: (s.enum as unknown[] | undefined)?.map(anyOf),
    additional_properties: ap === undefined ? undefined : typeof ap === 'boolean' ? { boolean: ap } : { schema: schemaMessage(ap as Json) },
    type: s.type === undefined ? undefined : { value: [s.type] },
    items: isObject(s.items) ? { schema: [schemaMessage(s.items)] } : undefined,
    all_of: (s.allOf as Json[] | undefined)?.map(schemaMessage),
    properties: isObject(s.properties) ? { additional_properties: Object.entries(s.properties).map(([name, p]) => ({ name, value: schemaMessage(p as Json) })) } : undefined,
    read_only: s.readOnly,
    example: s.example === undefined ? undefined : anyOf(s.example),
    vendor_extension: extensions(s),
  };
}

function parameterMessage(p: Json): Json {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { description: p.description, name: p.name, in: p.in, required: p.required, schema: schemaMessage(p.schema as Json), vendor_extension: extensions(p) } } };
  }
  const sub = {
    required: p.required,
    in: p.in,
    description: p.description,
    name: p.name,
    type: p.type,
    format: p.format,
    default: p.default === undefined ? undefined : anyOf(p.default),
    unique_items: p.uniqueItems,
    enum: (p.enum as unknown[] | undefined)?.map(anyOf),
    vendor_extension: extensions(p),
    ...(p.in === 'query' ? { maximum: p.maximum, minimum: p.minimum } : {}),
  };
  // openapi.yaml has query and path parameters only (no header or form parameters).
  const kind = p.in === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [kind]: sub } } };
}

function operationMessage(op: Json): Json {
  return {
    tags: op.tags,
    summary: op.summary,
    description: op.description,
    operation_id: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    parameters: ((op.parameters as Json[] | undefined) ?? []).map(parameterMessage),
    responses: {
      response_code: Object.entries((op.responses as Record<string, Json> | undefined) ?? {}).map(([code, r]) => ({
        name: code,
        value: { response: { description: r.description, schema: isObject(r.schema) ? { schema: schemaMessage(r.schema) } : undefined } },
      })),
    },
    schemes: op.schemes,
    vendor_extension: extensions(op),
  };
}

/** Encodes a Swagger 2.0 document (swagger-v2.ts) as an openapi_v2.Document. */
export function encodeSwaggerV2(swagger: Json): Uint8Array {
  const Document = loadDocumentType();
  const paths = Object.entries(swagger.paths as Record<string, Json>).map(([name, item]) => {
    const value: Json = { parameters: ((item.parameters as Json[] | undefined) ?? []).map(parameterMessage), vendor_extension: extensions(item) };
    for (const m of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']) if (isObject(item[m])) value[m] = operationMessage(item[m]);
    return { name, value };
  });
  const info = swagger.info as Json;
  const message = Document.fromObject({
    swagger: swagger.swagger,
    info: { title: info.title, version: info.version, description: info.description },
    paths: { path: paths },
    definitions: { additional_properties: Object.entries(swagger.definitions as Record<string, Json>).map(([name, s]) => ({ name, value: schemaMessage(s) })) },
    vendor_extension: extensions(swagger),
  });
  return Document.encode(message).finish();
}
