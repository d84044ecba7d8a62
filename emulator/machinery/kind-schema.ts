/**
 * What the generic machinery reads from one kind's schema in openapi.yaml, once at start-up:
 * list types (field ownership, server-side apply) and patch strategies (strategic merge).
 */
import type { OpenAPIV3 } from 'openapi-types';
import { listTypesOf, type ListTypes } from './managed-fields.js';
import { patchMetaOf, UNTAGGED, type PatchMeta } from './patch-strategies.js';

export interface KindSchema {
  /** `x-kubernetes-list-type` map and set lists by schema path. */
  lists: ListTypes;
  /** `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`, for strategic merge patch. */
  patch: PatchMeta;
}

/** A kind that declares nothing: atomic lists, untagged fields. */
export const PLAIN_KIND: KindSchema = { lists: new Map(), patch: UNTAGGED };

export function readKindSchema(schemas: Record<string, OpenAPIV3.SchemaObject>, schemaKey: string): KindSchema {
  return { lists: listTypesOf(schemas, schemaKey), patch: patchMetaOf(schemas, schemaKey) };
}
