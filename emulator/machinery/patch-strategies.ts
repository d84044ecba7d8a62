/**
 * The patch strategies of a kind, read once from its schema in openapi.yaml: what
 * k8s.io/apimachinery's strategicpatch gets from the Go struct tags `patchStrategy` and
 * `patchMergeKey` (LookupPatchMeta), here from `x-kubernetes-patch-strategy` and
 * `x-kubernetes-patch-merge-key`, the extensions openapi-gen writes from those tags.
 *
 * A field without them (every field of Backend's own types) is replaced as a whole; ObjectMeta's
 * `finalizers` (merge) and `ownerReferences` (merge by uid) carry them.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { goTypeName, resolve, type Schema } from '../openapi/schema-walk.js';

/** What strategic merge may ask of the type at one place in an object (LookupPatchMeta). */
export interface PatchMeta {
  /** The Go kind (`struct`, `map`) and type name of the value, for upstream's error messages. */
  readonly kind: string;
  readonly typeName: string;
  /**
   * The field `key` of this struct, or the values of this map. Undefined when a struct has no
   * such field (upstream: "unable to find api field in struct ...").
   */
  field(key: string): FieldPatchMeta | undefined;
}

export interface FieldPatchMeta {
  /** The meta of the field's value; for a list, of its items. */
  meta: PatchMeta;
  /** `x-kubernetes-patch-strategy` split at commas: `merge`, `replace`, `retainKeys`. */
  strategies: string[];
  /** `x-kubernetes-patch-merge-key`, or "". */
  mergeKey: string;
}

/** A type that declares nothing: every field untagged, every key known. */
export const UNTAGGED: PatchMeta = {
  kind: 'struct',
  typeName: '',
  field: () => UNTAGGED_FIELD,
};
const UNTAGGED_FIELD: FieldPatchMeta = { meta: UNTAGGED, strategies: [], mergeKey: '' };

type Schemas = Record<string, OpenAPIV3.SchemaObject>;

function strategiesOf(s: Schema): string[] {
  const v = s['x-kubernetes-patch-strategy'];
  return typeof v === 'string' && v ? v.split(',').map((x) => x.trim()) : [];
}

/** The patch meta of a kind's schema; nodes are built on first use and kept (recursive schemas are fine). */
export function patchMetaOf(schemas: Schemas, schemaKey: string): PatchMeta {
  const byKey = new Map<string, PatchMeta>();

  const nodeFor = (schema: unknown): PatchMeta => {
    const { schema: s, key } = resolve(schemas, schema);
    if (key && byKey.has(key)) return byKey.get(key)!;
    const fields = new Map<string, FieldPatchMeta | undefined>();
    const props = (s.properties ?? undefined) as Record<string, unknown> | undefined;
    const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    const node: PatchMeta = {
      kind: props || !additional ? 'struct' : 'map',
      typeName: key ? goTypeName(key) : '',
      field(k) {
        if (fields.has(k)) return fields.get(k);
        let f: FieldPatchMeta | undefined;
        if (props && Object.prototype.hasOwnProperty.call(props, k)) f = fieldFor(props[k]);
        else if (additional) f = fieldFor(additional);
        else if (!props) f = UNTAGGED_FIELD; // an opaque object (RawExtension, FieldsV1): nothing declared
        fields.set(k, f);
        return f;
      },
    };
    if (key) byKey.set(key, node);
    return node;
  };

  const fieldFor = (schema: unknown): FieldPatchMeta => {
    const own = schema as Schema;
    const { schema: s } = resolve(schemas, schema);
    // The extensions sit beside the property's type (and beside a $ref, when there is one).
    const strategies = strategiesOf(own).length ? strategiesOf(own) : strategiesOf(s);
    const mergeKey = String(own['x-kubernetes-patch-merge-key'] ?? s['x-kubernetes-patch-merge-key'] ?? '');
    const isList = s.type === 'array' || !!s.items;
    return { meta: nodeFor(isList ? s.items : schema), strategies, mergeKey };
  };

  return nodeFor({ $ref: `#/components/schemas/${schemaKey}` });
}
