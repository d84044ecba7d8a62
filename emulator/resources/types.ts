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

export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural resource name, as in the URL. */
  plural: string;
  singular: string;
  namespaced: false;
  shortNames: string[];
  subresources: string[];
  /**
   * The server's Default(): runs on every decode of a request body, before validation.
   * Must be idempotent. Schema `default:` values (profile documented) are applied by the machinery.
   */
  applyDefaults(obj: KubeObject, profile: Profile): void;
  /**
   * The optional fields of the resource's Go types that are pointers, by Go type name: what
   * openapi.yaml cannot say about the JSON shape (omitempty and zero values come from its
   * `required`, see openapi/go-shape.ts).
   */
  goPointers: GoPointers;
  /** The resource's own validate(): field errors for a new or updated object. */
  validate(obj: KubeObject, profile: Profile): FieldError[];
  /** Field selectors the server supports, each reading a string value from the object. */
  fieldSelectors: Record<string, (obj: KubeObject) => string>;
  /** Server-side printing (Table): column definitions and the cells of one row. */
  table: {
    columns: TableColumn[];
    cells(obj: KubeObject, now: Date): unknown[];
  };
}
