/**
 * What the generic machinery needs to know about one resource. Adding a resource means
 * describing it here (plus its schemas and paths in openapi.yaml), not writing handlers.
 */
import type { FieldError } from '../machinery/field-errors.js';
import type { GoPointers } from '../openapi/go-shape.js';

export type Profile = 'apoxy' | 'documented';

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: ManagedFieldsEntry[];
  selfLink?: string;
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/**
 * One served version of a resource. Objects are stored in one version only, the storage (hub)
 * version; a request in any other version is converted to it on the way in and every answer
 * back on the way out (kube-apiserver's scheme conversion around the generic store). Validation,
 * field selectors and Table columns see storage-version objects only.
 */
export interface VersionDefinition {
  /** The version, as in the URL: `v1alpha2`. */
  name: string;
  /** Objects are stored in this version; exactly one version of a resource says so. */
  storage?: true;
  /**
   * This version's Default(): runs on every decode of a request body in this version, before
   * conversion and validation. Must be idempotent. Schema `default:` values (profile
   * documented) are applied by the machinery.
   */
  applyDefaults(obj: KubeObject, profile: Profile): void;
  /**
   * Conversion to and from the storage version, in place on a copy the machinery made; the
   * machinery sets apiVersion. Required on every version but the storage one.
   */
  toStorage?(obj: KubeObject): void;
  fromStorage?(obj: KubeObject): void;
  /**
   * Fields a field selector may name through this version besides metadata.name and
   * metadata.namespace (the field label conversion the version registers; its values come from
   * the resource's `fieldSelectors`). Absent: the version registers none, and only those two
   * are accepted, with apimachinery's default message.
   */
  selectableFields?: string[];
}

export interface ResourceDefinition {
  group: string;
  /** Served versions, the preferred one first (discovery lists them in this order). */
  versions: VersionDefinition[];
  kind: string;
  listKind: string;
  /** Plural resource name, as in the URL. */
  plural: string;
  singular: string;
  namespaced: false;
  shortNames: string[];
  subresources: string[];
  /**
   * The optional fields of the resource's Go types that are pointers, by Go type name: what
   * openapi.yaml cannot say about the JSON shape (omitempty and zero values come from its
   * `required`, see openapi/go-shape.ts). The versions' Go types are field for field the same,
   * so one list serves them all.
   */
  goPointers: GoPointers;
  /** The resource's own validate(): field errors for a new or updated (storage-version) object. */
  validate(obj: KubeObject, profile: Profile): FieldError[];
  /** Field values a field selector can match (the store's GetAttrs), read from a storage-version object. */
  fieldSelectors: Record<string, (obj: KubeObject) => string>;
  /** Server-side printing (Table): column definitions and the cells of one (storage-version) row. */
  table: {
    columns: TableColumn[];
    cells(obj: KubeObject, now: Date): unknown[];
  };
}

/** The version objects are stored in. */
export function storageVersion(def: ResourceDefinition): VersionDefinition {
  const stored = def.versions.filter((v) => v.storage);
  if (stored.length !== 1) throw new Error(`${def.plural}: exactly one version must be the storage version, found ${stored.length}`);
  return stored[0];
}
