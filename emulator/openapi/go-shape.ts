/**
 * The JSON shape Go's encoding/json gives an object of the real server's types: the server
 * decodes every body into Go structs and encodes them back, so an empty `omitempty` field is
 * simply absent and a field without `omitempty` is always written, with its zero value.
 *
 * Everything comes from the kind's schema in openapi.yaml, once per kind:
 * - `required` lists exactly the fields whose json tag has no `omitempty` (openapi-gen's rule);
 *   every other field is omitempty.
 * - `properties` make a struct, `additionalProperties` a map, `type: array` a slice, and
 *   `format: date-time` a metav1.Time (a struct whose zero value is written as `null`).
 * - What the schema cannot say is which fields are Go pointers: a non-nil pointer is written
 *   even when what it points to is empty (`maxHosts: 0`, `dynamicProxy: {}`), and a struct that
 *   is not a pointer is never omitted (`status: {}`). GoPointers lists the pointers by Go type
 *   name: apimachinery's here, each resource's beside its types.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { goTypeName, resolve } from './schema-walk.js';

/** The optional fields that are Go pointers, by Go type name (the schema key's last segment). */
export type GoPointers = Readonly<Record<string, readonly string[]>>;

/** k8s.io/apimachinery meta/v1: the pointer fields of the types a resource embeds. */
export const META_V1_POINTERS: GoPointers = {
  ObjectMeta: ['deletionTimestamp', 'deletionGracePeriodSeconds'],
  OwnerReference: ['controller', 'blockOwnerDeletion'],
  ManagedFieldsEntry: ['time', 'fieldsV1'],
};

type Plan =
  | { kind: 'struct'; fields: FieldPlan[] }
  | { kind: 'map'; values: Plan }
  | { kind: 'slice'; items: Plan }
  | { kind: 'time' }
  | { kind: 'string' | 'number' | 'bool' | 'opaque' };

interface FieldPlan {
  name: string;
  omitempty: boolean;
  pointer: boolean;
  plan: Plan;
}

type Schemas = Record<string, OpenAPIV3.SchemaObject>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value a Go field holds before anything is set (null: a nil slice, map or pointer, or a zero Time). */
function zeroOf(plan: Plan): unknown {
  switch (plan.kind) {
    case 'struct': {
      const v = {};
      shapeStruct(v, plan);
      return v;
    }
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'bool':
      return false;
    default:
      return null;
  }
}

/** encoding/json isEmptyValue, for what a non-pointer omitempty field holds. */
function isEmpty(v: unknown, plan: Plan): boolean {
  switch (plan.kind) {
    case 'string':
      return v === '';
    case 'number':
      return v === 0;
    case 'bool':
      return v === false;
    case 'slice':
      return Array.isArray(v) && v.length === 0;
    case 'map':
      return isObject(v) && Object.keys(v).length === 0;
    default:
      return false; // structs (Time included) are never empty to encoding/json
  }
}

function shapeValue(v: unknown, plan: Plan): void {
  if (plan.kind === 'struct' && isObject(v)) shapeStruct(v, plan);
  else if (plan.kind === 'map' && isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) v[k] = zeroOf(plan.values);
      else shapeValue(v[k], plan.values);
    }
  } else if (plan.kind === 'slice' && Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null) v[i] = zeroOf(plan.items);
      else shapeValue(v[i], plan.items);
    }
  }
}

function shapeStruct(v: Record<string, unknown>, plan: { fields: FieldPlan[] }): void {
  for (const f of plan.fields) {
    const x = v[f.name];
    if (x === undefined || x === null) {
      // A nil pointer is omitted (or null); a struct that is not a pointer is always there.
      if (f.pointer) {
        if (f.omitempty) delete v[f.name];
        else v[f.name] = null;
      } else if (f.plan.kind === 'struct' || f.plan.kind === 'time' || !f.omitempty) v[f.name] = zeroOf(f.plan);
      else delete v[f.name];
      continue;
    }
    shapeValue(x, f.plan);
    if (f.omitempty && !f.pointer && isEmpty(x, f.plan)) delete v[f.name];
  }
}

/**
 * Compiles the shape of a kind's objects; the returned function rewrites an object in place
 * into the JSON Go would write for it. Fields the schema does not declare are left alone.
 */
export function goShapeOf(schemas: Schemas, schemaKey: string, pointers: GoPointers): (obj: Record<string, unknown>) => void {
  const byKey = new Map<string, Plan>();

  const planFor = (schema: unknown): Plan => {
    const { schema: s, key } = resolve(schemas, schema);
    if (key && byKey.has(key)) return byKey.get(key)!;
    let plan: Plan;
    if (s.properties) {
      const fields: FieldPlan[] = [];
      plan = { kind: 'struct', fields };
      if (key) byKey.set(key, plan); // before the fields: a schema may contain itself
      const required = new Set((s.required ?? []) as string[]);
      const pointerFields = new Set(key ? pointers[goTypeName(key)] ?? [] : []);
      for (const [name, child] of Object.entries(s.properties as Record<string, unknown>)) {
        fields.push({ name, omitempty: !required.has(name), pointer: pointerFields.has(name), plan: planFor(child) });
      }
      return plan;
    }
    if (s.type === 'array' || s.items) plan = { kind: 'slice', items: planFor(s.items) };
    else if (isObject(s.additionalProperties)) plan = { kind: 'map', values: planFor(s.additionalProperties) };
    else if (s.format === 'date-time') plan = { kind: 'time' };
    else if (s.type === 'string') plan = { kind: 'string' };
    else if (s.type === 'integer' || s.type === 'number') plan = { kind: 'number' };
    else if (s.type === 'boolean') plan = { kind: 'bool' };
    else plan = { kind: 'opaque' }; // FieldsV1, RawExtension: written as they are
    if (key) byKey.set(key, plan);
    return plan;
  };

  const root = planFor({ $ref: `#/components/schemas/${schemaKey}` });
  if (root.kind !== 'struct') throw new Error(`openapi.yaml: ${schemaKey} is not an object schema`);
  return (obj) => shapeStruct(obj, root);
}

