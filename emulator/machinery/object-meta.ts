/**
 * ObjectMeta rules of the generic registry (k8s.io/apiserver registry/rest and
 * apimachinery api/validation/objectmeta.go) for a cluster-scoped resource whose names are
 * checked as path segments only (the real Apoxy server's rule).
 */
import type { ObjectMeta } from '../resources/types.js';
import { fieldError, type FieldError } from './field-errors.js';
import { validateAnnotations, validateFinalizers, validateLabels } from './object-meta-validation.js';
import { validatePathSegmentName } from './path-segment-name.js';

/** rest.FillObjectMetaSystemFields after WipeObjectMetaSystemFields, and the namespace cleared. */
export function prepareMetaForCreate(meta: ObjectMeta, uid: string, now: string): void {
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.namespace; // cluster-scoped: silently cleared
  meta.uid = uid;
  meta.creationTimestamp = now;
}

function validateCommon(meta: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(fieldError.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  if (meta.labels) errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  if (meta.annotations) errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  if (meta.finalizers) errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/** ValidateObjectMetaAccessor(meta, namespaced=false, path.ValidatePathSegmentName). */
export function validateMetaForCreate(meta: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of validatePathSegmentName(meta.generateName, true)) errs.push(fieldError.invalid('metadata.generateName', meta.generateName, msg));
  }
  if (!meta.name) errs.push(fieldError.required('metadata.name', 'name or generateName is required'));
  else for (const msg of validatePathSegmentName(meta.name, false)) errs.push(fieldError.invalid('metadata.name', meta.name, msg));
  return [...errs, ...validateCommon(meta)];
}

/** ValidateObjectMetaUpdate: identity is immutable; a terminating object only loses finalizers. */
export function validateMetaForUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (field: string, value: unknown, before: unknown) => {
    if (value !== before) errs.push(fieldError.invalid(field, value ?? '', 'field is immutable'));
  };
  immutable('metadata.name', meta.name, old.name);
  immutable('metadata.uid', meta.uid, old.uid);
  immutable('metadata.creationTimestamp', meta.creationTimestamp, old.creationTimestamp);
  if (old.deletionTimestamp) {
    const added = (meta.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    if (added.length) {
      errs.push(fieldError.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`));
    }
  }
  return [...errs, ...validateCommon(meta)];
}

/** rest.BeforeUpdate: what the client may not change is taken from the stored object. */
export function carryOverMetaOnUpdate(meta: ObjectMeta, old: ObjectMeta): void {
  if (!meta.uid) meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  if (old.generation === undefined) delete meta.generation;
  else meta.generation = old.generation;
  if (old.deletionTimestamp) {
    meta.deletionTimestamp = old.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  delete meta.namespace;
  delete meta.selfLink;
}

/** ObjectMeta's fields in the order of the Go struct, the order the real server writes them. */
const OBJECT_META_ORDER = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

/**
 * The metadata in Go field order. With `reserveResourceVersion`, an empty resourceVersion holds
 * its place, for the store to fill in when it commits the write.
 */
export function inObjectMetaOrder(meta: ObjectMeta, reserveResourceVersion: boolean): ObjectMeta {
  const source: ObjectMeta = reserveResourceVersion && meta.resourceVersion === undefined ? { ...meta, resourceVersion: '' } : meta;
  const out: ObjectMeta = {};
  for (const key of OBJECT_META_ORDER) if (source[key] !== undefined) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out) && source[key] !== undefined) out[key] = source[key];
  return out;
}
