/**
 * One version of a resource as the generic registry serves it: that version's decoder (its
 * schema in openapi.yaml, its Default(), Go's shape), what its schema says about lists and patch
 * strategies, the field selectors it accepts, and conversion between it and the storage version.
 *
 * The registry stores, validates, selects and prints storage-version objects only (as the
 * generic store and strategy of kube-apiserver only see the internal type). A request comes in
 * through its URL's version and is converted to the storage version; every answer goes out
 * through the same version and is converted back. Converted copies of stored objects are made
 * once and kept beside them (stored objects are immutable), so a read through another version
 * costs a lookup, and the JSON of the copy is reused like the stored object's (http/respond.ts).
 */
import type { KindCodec } from '../openapi/validators.js';
import type { KubeObject, Profile, ResourceDefinition, VersionDefinition } from '../resources/types.js';
import { storageVersion } from '../resources/types.js';
import { deepFreeze } from '../store/index.js';
import { makeDecoder, type DecodeResult, type Decoder, type FieldValidation } from './decode.js';
import type { KindSchema } from './kind-schema.js';
import type { ListTypes } from './managed-fields.js';
import { errors } from './status.js';

/** Field selectors every version accepts (apimachinery's DefaultMetaV1FieldSelectorConversion). */
const META_FIELDS = ['metadata.name', 'metadata.namespace'];

export class ServedVersion {
  /** The version, as in the URL. */
  readonly name: string;
  /** `<group>/<version>`, as objects of this version carry it. */
  readonly apiVersion: string;
  readonly kind: string;
  readonly listKind: string;
  /** Objects are stored in this version: conversion is the identity. */
  readonly isStorage: boolean;
  /** Decodes a request body into an object of this version (not converted). */
  readonly decoder: Decoder;
  private readonly storageApiVersion: string;
  private readonly converted = new WeakMap<KubeObject, KubeObject>();
  private readonly selectable: ReadonlySet<string> | undefined;

  /** `schema`: what this version's schema declares about lists, patching and Go's shape (kind-schema.ts). */
  constructor(
    def: ResourceDefinition,
    private readonly version: VersionDefinition,
    readonly codec: KindCodec,
    readonly schema: KindSchema,
    profile: Profile,
  ) {
    this.name = version.name;
    this.apiVersion = `${def.group}/${version.name}`;
    this.kind = def.kind;
    this.listKind = def.listKind;
    const storage = storageVersion(def);
    this.isStorage = storage === version;
    this.storageApiVersion = `${def.group}/${storage.name}`;
    if (!this.isStorage && (!version.toStorage || !version.fromStorage)) {
      throw new Error(`${def.plural} ${version.name}: a version other than the storage version needs toStorage and fromStorage`);
    }
    for (const f of version.selectableFields ?? []) {
      if (!def.fieldSelectors[f]) throw new Error(`${def.plural} ${version.name}: field selector ${f} has no value in fieldSelectors`);
    }
    this.selectable = version.selectableFields && new Set([...META_FIELDS, ...version.selectableFields]);
    this.decoder = makeDecoder(def, version, codec, profile, schema.shape);
  }

  /** The kind's map and set lists in this version's schema, for field ownership. */
  get lists(): ListTypes {
    return this.schema.lists;
  }

  /** A request body in this version: decoded, defaulted, then converted to the storage version. */
  decode(value: unknown, fieldValidation: FieldValidation): DecodeResult {
    const decoded = this.decoder.decode(value, fieldValidation);
    return { ...decoded, obj: this.toStorage(decoded.obj) };
  }

  /** An object of this version (the caller's own, changed in place) as the storage version. */
  toStorage(obj: KubeObject): KubeObject {
    if (this.isStorage) return obj;
    obj.apiVersion = this.storageApiVersion;
    this.version.toStorage!(obj);
    return obj;
  }

  /**
   * A storage-version object in this version. A stored (frozen) object converts once: the same
   * frozen copy answers every later request for it, and goes away with it.
   */
  fromStorage(obj: KubeObject): KubeObject {
    if (this.isStorage) return obj;
    const known = this.converted.get(obj);
    if (known) return known;
    const out = structuredClone(obj);
    out.apiVersion = this.apiVersion;
    this.version.fromStorage!(out);
    if (Object.isFrozen(obj)) this.converted.set(obj, deepFreeze(out));
    return out;
  }

  /** An answer in this version: an object or a list's items converted, a Status as it is. */
  present<T>(body: T): T {
    if (this.isStorage || typeof body !== 'object' || body === null) return body;
    const b = body as unknown as Record<string, unknown>;
    if (b.kind === 'Status') return body;
    if (Array.isArray(b.items)) return { ...b, apiVersion: this.apiVersion, items: (b.items as KubeObject[]).map((o) => this.fromStorage(o)) } as T;
    return this.fromStorage(b as KubeObject) as T;
  }

  /** This version's field label conversion: 400 for a field it does not accept. */
  checkFieldSelector(field: string): void {
    if (!this.selectable) {
      if (!META_FIELDS.includes(field)) throw errors.badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    } else if (!this.selectable.has(field)) {
      throw errors.badRequest(`${JSON.stringify(field)} is not a known field selector`);
    }
  }
}
