/**
 * What the generic machinery reads from one kind's schema in openapi.yaml, once at start-up:
 * list types (field ownership, server-side apply), patch strategies (strategic merge) and the
 * JSON shape Go writes (omitempty, zero values).
 */
import type { OpenAPIV3 } from 'openapi-types';
import { goShapeOf, META_V1_POINTERS, type GoPointers } from '../openapi/go-shape.js';
import { listTypesOf, type ListTypes } from './managed-fields.js';
import { patchMetaOf, UNTAGGED, type PatchMeta } from './patch-strategies.js';

export interface KindSchema {
  /** `x-kubernetes-list-type` map and set lists by schema path. */
  lists: ListTypes;
  /** `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`, for strategic merge patch. */
  patch: PatchMeta;
  /** Rewrites a decoded object, in place, into the JSON Go's encoder would write for it. */
  shape: (obj: Record<string, unknown>) => void;
}

/** A kind that declares nothing: atomic lists, untagged fields. */
export const PLAIN_KIND: KindSchema = { lists: new Map(), patch: UNTAGGED, shape: () => undefined };

/** `pointers`: the resource's own Go pointer fields (ResourceDefinition.goPointers); apimachinery's are known here. */
export function readKindSchema(schemas: Record<string, OpenAPIV3.SchemaObject>, schemaKey: string, pointers: GoPointers = {}): KindSchema {
  return {
    lists: listTypesOf(schemas, schemaKey),
    patch: patchMetaOf(schemas, schemaKey),
    shape: goShapeOf(schemas, schemaKey, { ...META_V1_POINTERS, ...pointers }),
  };
}
