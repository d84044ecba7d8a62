/**
 * Walking a JSON value alongside its OpenAPI schema: dereferencing `$ref`/`allOf`, finding
 * unknown fields (fieldValidation), and canonicalizing values the Go types re-serialize
 * (Durations). Resource-agnostic: everything comes from the schemas in openapi.yaml.
 */
import type { OpenAPIV3 } from 'openapi-types';

export type Schema = OpenAPIV3.SchemaObject & Record<string, unknown>;
type Schemas = Record<string, OpenAPIV3.SchemaObject>;

const REF_PREFIX = '#/components/schemas/';

/** Resolved schemas by schema object: the document never changes, and walks resolve the same few schemas for every object. */
const resolved = new WeakMap<Schemas, WeakMap<object, { schema: Schema; key?: string }>>();

/** The schema with `$ref` and single-entry `allOf` folded in; `key` is the component it came from. */
export function resolve(schemas: Schemas, schema: unknown): { schema: Schema; key?: string } {
  if (typeof schema !== 'object' || schema === null) return resolveUncached(schemas, schema);
  let known = resolved.get(schemas);
  if (!known) resolved.set(schemas, (known = new WeakMap()));
  let r = known.get(schema);
  if (!r) known.set(schema, (r = resolveUncached(schemas, schema)));
  return r;
}

function resolveUncached(schemas: Schemas, schema: unknown): { schema: Schema; key?: string } {
  let s = (schema ?? {}) as Schema;
  let key: string | undefined;
  for (let i = 0; i < 16; i++) {
    if (typeof s.$ref === 'string') {
      key = (s.$ref as string).slice(REF_PREFIX.length);
      const target = schemas[key] as Schema | undefined;
      if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
      s = target;
    } else if (Array.isArray(s.allOf) && s.allOf.length === 1 && !s.properties && !s.type) {
      const { allOf, ...rest } = s;
      const inner = resolve(schemas, allOf[0]);
      key = inner.key ?? key;
      s = { ...inner.schema, ...rest } as Schema;
    } else break;
  }
  return { schema: s, key };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A schema that names no properties accepts any keys (maps, FieldsV1, RawExtension). */
function acceptsAnyKey(s: Schema): boolean {
  return !s.properties || s.additionalProperties !== undefined || s['x-kubernetes-preserve-unknown-fields'] === true;
}

/**
 * Fields the schema does not declare, as paths in the strict-decoding form kube-apiserver
 * reports: `spec.foo`, `spec.endpoints[0].x`. With `remove`, they are deleted too (the decoder
 * drops them).
 */
export function unknownFields(schemas: Schemas, rootSchema: unknown, value: unknown, remove: boolean): string[] {
  const found: string[] = [];
  const walk = (v: unknown, schema: unknown, path: string) => {
    const { schema: s } = resolve(schemas, schema);
    if (Array.isArray(v)) {
      if (s.items) v.forEach((item, i) => walk(item, s.items, `${path}[${i}]`));
      return;
    }
    if (!isPlainObject(v)) return;
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(v)) {
      const child = path ? `${path}.${key}` : key;
      if (Object.prototype.hasOwnProperty.call(props, key)) walk(v[key], props[key], child);
      else if (acceptsAnyKey(s)) {
        if (isPlainObject(s.additionalProperties)) walk(v[key], s.additionalProperties, child);
      } else {
        found.push(child);
        if (remove) delete v[key];
      }
    }
  };
  walk(value, rootSchema, '');
  return found;
}

/** Replaces every value whose schema has `format: <format>` with `convert(value)`, in place. */
export function mapFormat(schemas: Schemas, rootSchema: unknown, value: unknown, format: string, convert: (v: string) => string): void {
  const walk = (v: unknown, schema: unknown, set: (nv: unknown) => void) => {
    const { schema: s } = resolve(schemas, schema);
    if (s.format === format && typeof v === 'string') {
      set(convert(v));
      return;
    }
    if (Array.isArray(v)) {
      if (s.items) v.forEach((item, i) => walk(item, s.items, (nv) => (v[i] = nv)));
    } else if (isPlainObject(v) && s.properties) {
      const props = s.properties as Record<string, unknown>;
      for (const key of Object.keys(v)) {
        if (Object.prototype.hasOwnProperty.call(props, key)) walk(v[key], props[key], (nv) => (v[key] = nv));
      }
    }
  };
  walk(value, rootSchema, () => undefined);
}

/** Inserts `{}` for absent properties whose schema default is an empty object, recursively. */
export function fillStructDefaults(schemas: Schemas, rootSchema: unknown, value: unknown): void {
  const walk = (v: unknown, schema: unknown) => {
    if (!isPlainObject(v)) return;
    const { schema: s } = resolve(schemas, schema);
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const [key, propSchema] of Object.entries(props)) {
      const d = resolve(schemas, propSchema).schema.default ?? (propSchema as Schema).default;
      if (v[key] === undefined && isPlainObject(d) && Object.keys(d).length === 0) v[key] = {};
      walk(v[key], propSchema);
    }
  };
  walk(value, rootSchema);
}

/**
 * What Go's encoding/json would name in an UnmarshalTypeError for the value at `segments`:
 * the innermost struct type and the Go type of the field.
 */
export function goFieldContext(schemas: Schemas, rootKey: string, segments: string[]): { struct: string; goType: string } {
  let { schema: s, key } = resolve(schemas, { $ref: REF_PREFIX + rootKey });
  let struct = goTypeName(key ?? rootKey);
  for (const seg of segments) {
    let next: unknown;
    if (s.type === 'array' || s.items) next = s.items;
    else if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, seg)) {
      struct = goTypeName(key ?? rootKey);
      next = (s.properties as Record<string, unknown>)[seg];
    } else if (isPlainObject(s.additionalProperties)) next = s.additionalProperties;
    else break;
    const r = resolve(schemas, next);
    s = r.schema;
    key = r.key ?? (s.type === 'object' ? key : undefined);
    if (r.key) key = r.key;
  }
  return { struct, goType: goTypeOf(schemas, s, key) };
}

/** The Go type's name of a schema key (its last dotted segment, as kube-openapi names them). */
export function goTypeName(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}
function goPackage(key: string): string {
  const parts = key.split('.');
  return parts[parts.length - 2] ?? '';
}

function goTypeOf(schemas: Schemas, s: Schema, key: string | undefined): string {
  if (key && (s.type === 'object' || s.format === 'duration' || s.format === 'date-time')) return `${goPackage(key)}.${goTypeName(key)}`;
  switch (s.type) {
    case 'array': {
      const r = resolve(schemas, s.items);
      return `[]${goTypeOf(schemas, r.schema, r.key)}`;
    }
    case 'object':
      return s.additionalProperties ? `map[string]${goTypeOf(schemas, resolve(schemas, s.additionalProperties).schema, undefined)}` : 'map[string]interface {}';
    case 'integer':
      return s.maximum === 4294967295 ? 'uint32' : s.format === 'int32' ? 'int32' : 'int64';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    default:
      return 'string';
  }
}

/** encoding/json's name for the JSON type of a value, as in "cannot unmarshal <x> into". */
export function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}
