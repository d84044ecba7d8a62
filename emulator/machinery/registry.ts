/**
 * The generic REST storage of k8s.io/apiserver (registry/generic/registry/store.go and the
 * handlers in endpoints/handlers) for one resource described by a ResourceDefinition:
 * create, get, list, update (PUT), patch, delete and deletecollection, plus the status
 * subresource. Nothing here knows about Backend.
 *
 * One registry serves every version of its resource from one store. It works on
 * storage-version objects: a request is decoded in its URL's version and converted
 * (served-version.ts); answers are storage-version objects, which the HTTP layer presents in
 * the request's version. Patches and server-side apply work on the request's version of the
 * object, and managedFields record that version.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Operation } from '../openapi/document.js';
import type { KubeObject, ManagedFieldsEntry, Profile, ResourceDefinition } from '../resources/types.js';
import type { Store } from '../store/types.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { parseBody, type FieldValidation } from './decode.js';
import type { FieldError } from './field-errors.js';
import { errorString, fieldError } from './field-errors.js';
import { parseFieldSelector, type FieldSelector } from './fields.js';
import { parseLabelSelector, type LabelSelector } from './label-selector.js';
import { defaultManager, updateManagedFields } from './managed-fields.js';
import { serverSideApply, type ApplyTarget } from './apply.js';
import { generateName } from './names.js';
import { carryOverMetaOnUpdate, inObjectMetaOrder, prepareMetaForCreate, validateMetaForCreate, validateMetaForUpdate } from './object-meta.js';
import { checkEnumOption, invalidOptions, type QueryOptions } from './options.js';
import { applyPatch, type PatchType } from './patch.js';
import { parseResourceVersion, tooLargeResourceVersion } from './resource-version.js';
import type { ServedVersion } from './served-version.js';
import { errors, successStatus, type GroupResource, type StatusBody } from './status.js';
import { formatTime } from './time.js';

export interface Runtime {
  store: Store;
  profile: Profile;
  clock: () => Date;
  random: () => number;
  uuid: () => string;
}

export interface ApiRequest {
  op: Operation;
  name?: string;
  query: QueryOptions;
  body?: Buffer;
  /** Media type of the body, lowercased, without parameters. */
  contentType?: string;
  userAgent?: string;
}

/** An answer in the storage version; the HTTP layer converts it to the request's (ServedVersion.present). */
export interface ApiResponse {
  status: number;
  body: KubeObject | StatusBody | ListBody;
  warnings?: string[];
}

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

const MAX_GENERATE_NAME_ATTEMPTS = 8;
/**
 * What a 415 on POST/PUT lists: the serializers kube-apiserver has, protobuf included, which
 * this server (like the real Apoxy one, whose types are not protobuf-capable) does not decode.
 * The types actually accepted are the operation's request content types in openapi.yaml.
 */
const BODY_TYPES_ADVERTISED = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

export interface ListSelection {
  label?: LabelSelector;
  field?: FieldSelector;
}

export class ResourceRegistry {
  readonly gr: GroupResource;
  readonly gk: { group: string; kind: string };
  /** Served versions, the preferred one first. */
  readonly versions: readonly ServedVersion[];
  private readonly byName: ReadonlyMap<string, ServedVersion>;
  private readonly storage: ServedVersion;

  constructor(readonly def: ResourceDefinition, versions: ServedVersion[], private readonly rt: Runtime) {
    this.gr = { group: def.group, resource: def.plural };
    this.gk = { group: def.group, kind: def.kind };
    this.versions = versions;
    this.byName = new Map(versions.map((v) => [v.name, v]));
    this.storage = versions.find((v) => v.isStorage)!;
  }

  /** The version an operation of openapi.yaml serves; an error at start-up for one not defined. */
  versionOf(op: Operation): ServedVersion {
    const v = this.byName.get(op.gvk.version);
    if (!v) throw new Error(`openapi.yaml serves ${op.path} in version ${op.gvk.version}, which the ${this.def.plural} definition does not list`);
    return v;
  }

  /** The served version objects of this apiVersion are in, if any. */
  servedAs(apiVersion: string): ServedVersion | undefined {
    return this.versions.find((v) => v.apiVersion === apiVersion);
  }

  get store(): Store {
    return this.rt.store;
  }

  // ---- shared steps -------------------------------------------------------------------------

  private now(): string {
    return formatTime(this.rt.clock());
  }

  private fieldValidation(q: QueryOptions): FieldValidation {
    return (q.fieldValidation as FieldValidation | undefined) ?? 'Warn';
  }

  private dryRun(q: QueryOptions): boolean {
    return q.dryRun === 'All';
  }

  private manager(req: ApiRequest): string {
    return (req.query.fieldManager as string | undefined) || defaultManager(req.userAgent);
  }

  /**
   * The body and its media type. No Content-Type means the first type the server supports
   * (JSON), as kube-apiserver's NegotiateInputSerializerForMediaType does: the Python client
   * sends create and replace bodies without one.
   */
  private requireBody(req: ApiRequest, accepted: readonly string[], advertised: readonly string[]): { raw: Buffer; type: string } {
    const type = req.contentType ?? advertised[0];
    if (!accepted.includes(type)) throw errors.unsupportedMediaType(advertised);
    return { raw: req.body ?? Buffer.alloc(0), type };
  }

  /** Decodes a full object from a POST/PUT body, as the storage version. */
  private decodeBody(req: ApiRequest) {
    const { raw, type } = this.requireBody(req, req.op.requestContentTypes, BODY_TYPES_ADVERTISED);
    const value = parseBody(raw, type, "couldn't get version/kind; ");
    return this.versionOf(req.op).decode(value, this.fieldValidation(req.query));
  }

  /**
   * managedFields after a write through `v` (an Update): the field manager compares both
   * objects in the request's version, as kube-apiserver's converts them before it does.
   */
  private managedAfterUpdate(v: ServedVersion, after: KubeObject, before: KubeObject | undefined, write: { manager: string; operation: 'Update' | 'Apply'; subresource?: string; time: string }) {
    return updateManagedFields(v.fromStorage(after), before && v.fromStorage(before), { ...write, apiVersion: v.apiVersion }, v.lists);
  }

  /**
   * The resource's validate() plus, under profile documented, the published contract's errors
   * (computed at decode time, on the object as sent). The status subresource only answers for
   * .status; the main resource ignores .status.
   */
  private validateObject(obj: KubeObject, contractErrors: FieldError[], subresource?: string): FieldError[] {
    const own = this.def.validate(obj, this.rt.profile);
    // The resource's own message wins where both speak about the same field.
    const ownFields = new Set(own.map((e) => e.field.replace(/\.\[/g, '[')));
    const inScope = (f: string) => (subresource === 'status' ? f.startsWith('status') : !f.startsWith('status') || subresource === undefined);
    return [...own, ...contractErrors.filter((e) => !ownFields.has(e.field) && inScope(e.field))];
  }

  private invalid(name: string, errs: FieldError[]) {
    return errors.invalid(this.gk, name, errs);
  }

  private getOrNotFound(name: string): KubeObject {
    const obj = this.rt.store.get(this.def.plural, name);
    if (!obj) throw errors.notFound(this.gr, name);
    return obj;
  }

  private async persist(written: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const obj = { ...written, metadata: inObjectMetaOrder(written.metadata, !dryRun) };
    if (dryRun) return obj;
    const { rv, durable } = this.rt.store.commit({ op: 'put', resource: this.def.plural, object: obj });
    await durable;
    return this.rt.store.get(this.def.plural, obj.metadata.name!) ?? { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
  }

  private async remove(name: string, dryRun: boolean): Promise<number> {
    if (dryRun) return this.rt.store.resourceVersion;
    const { rv, durable } = this.rt.store.commit({ op: 'delete', resource: this.def.plural, name });
    await durable;
    return rv;
  }

  /**
   * What the API would refuse in a stored object it did not write (one edited by hand in the data
   * file): JSON types and unknown fields as the decoder sees them, the resource's validation and
   * ObjectMeta's. The object itself is left as it is, as the real server serves what its storage
   * holds without validating it again.
   */
  problemsOfStored(obj: KubeObject): string[] {
    const storage = this.storage;
    const problems: string[] = [];
    if (obj.apiVersion !== storage.apiVersion) problems.push(`apiVersion: ${JSON.stringify(obj.apiVersion ?? null)}, expected ${JSON.stringify(storage.apiVersion)}`);
    if (obj.kind !== this.def.kind) problems.push(`kind: ${JSON.stringify(obj.kind ?? null)}, expected ${JSON.stringify(this.def.kind)}`);
    const { error, unknownFields } = storage.codec.check(obj);
    problems.push(...unknownFields.map((f) => `${f}: unknown field`));
    if (error) return [...problems, error]; // the checks below assume the JSON types are right
    const contractErrors = this.rt.profile === 'documented' ? storage.codec.contract(obj) : [];
    for (const e of [...this.validateObject(obj, contractErrors), ...validateMetaForCreate(obj.metadata)]) problems.push(errorString(e));
    return problems;
  }

  // ---- create -------------------------------------------------------------------------------

  async create(req: ApiRequest): Promise<ApiResponse> {
    const { obj, warnings, contractErrors } = this.decodeBody(req);
    return { status: 201, body: await this.createObject(obj, req, 'Update', contractErrors), warnings };
  }

  /** BeforeCreate + storage Create, shared with apply-create. */
  async createObject(obj: KubeObject, req: ApiRequest, operation: 'Update' | 'Apply', contractErrors: FieldError[] = [], managed?: ManagedFieldsEntry[]): Promise<KubeObject> {
    const meta = obj.metadata;
    const now = this.now();
    prepareMetaForCreate(meta, this.rt.uuid(), now);
    const base = meta.generateName;
    const useGenerateName = !meta.name && !!base;
    if (useGenerateName) meta.name = generateName(base!, this.rt.random);

    const specErrs = this.validateObject(obj, contractErrors);
    if (specErrs.length) throw this.invalid(meta.name ?? '', specErrs);
    const metaErrs = validateMetaForCreate(meta);
    if (metaErrs.length) throw this.invalid(meta.name ?? '', metaErrs);

    // etcd3 store.Create: a resourceVersion that parses as a non-zero number is refused.
    if (meta.resourceVersion !== undefined && /^\d+$/.test(String(meta.resourceVersion)) && Number(meta.resourceVersion) !== 0) {
      throw errors.internal('resourceVersion should not be set on objects to be created');
    }
    delete meta.resourceVersion;

    for (let attempt = 1; ; attempt++) {
      const existing = this.rt.store.get(this.def.plural, meta.name!);
      if (!existing) break;
      if (!useGenerateName) {
        throw errors.alreadyExists(this.gr, meta.name!, existing.metadata.deletionTimestamp ? 'object is being deleted: ' : '');
      }
      if (attempt >= MAX_GENERATE_NAME_ATTEMPTS) throw errors.generatedNameConflict(this.gr, meta.name!);
      meta.name = generateName(base!, this.rt.random);
    }

    meta.managedFields = managed ?? this.managedAfterUpdate(this.versionOf(req.op), obj, undefined, { manager: this.manager(req), operation, time: now });
    if (!meta.managedFields.length) delete meta.managedFields;
    // A dry-run create answers without a resourceVersion (persist reserves none for a dry run).
    return this.persist(obj, this.dryRun(req.query));
  }

  // ---- get / list ---------------------------------------------------------------------------

  get(req: ApiRequest): ApiResponse {
    this.checkResourceVersionParam(req.query.resourceVersion as string | undefined);
    return { status: 200, body: this.getOrNotFound(req.name!) };
  }

  private checkResourceVersionParam(rv: string | undefined): void {
    if (rv === undefined || rv === '') return;
    const n = parseResourceVersion(rv);
    if (n > this.rt.store.resourceVersion) throw tooLargeResourceVersion(n, this.rt.store.resourceVersion);
  }

  /** Parses labelSelector and fieldSelector; 400 on a bad one or a field `v` does not accept. */
  parseSelection(q: QueryOptions, v: ServedVersion): ListSelection {
    const sel: ListSelection = {};
    if (q.labelSelector) {
      try {
        sel.label = parseLabelSelector(String(q.labelSelector));
      } catch (e) {
        throw errors.badRequest((e as Error).message);
      }
    }
    if (q.fieldSelector) {
      try {
        sel.field = parseFieldSelector(String(q.fieldSelector));
      } catch (e) {
        throw errors.badRequest((e as Error).message);
      }
      for (const r of sel.field.requirements) v.checkFieldSelector(r.field);
    }
    return sel;
  }

  matches(obj: KubeObject, sel: ListSelection): boolean {
    if (sel.label && !sel.label.matches(obj.metadata.labels)) return false;
    if (sel.field && !sel.field.matches((f) => this.def.fieldSelectors[f]?.(obj))) return false;
    return true;
  }

  /** ValidateListOptions: resourceVersionMatch, continue and sendInitialEvents combinations. */
  validateListOptions(q: QueryOptions, watch: boolean): void {
    const errs: FieldError[] = [];
    const rv = q.resourceVersion as string | undefined;
    const match = q.resourceVersionMatch as string | undefined;
    // A watch checks only the sendInitialEvents combinations (validateWatchOptions).
    if (match && !watch) {
      if (!rv) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (q.continue) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
      if (match === 'Exact' && rv === '0') errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (watch) {
      if (q.sendInitialEvents !== undefined && match !== 'NotOlderThan') errs.push(fieldError.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
      if (q.sendInitialEvents === undefined && match) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    } else if (q.sendInitialEvents !== undefined) {
      errs.push(fieldError.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
    }
    if (errs.length) throw invalidOptions('list', errs);
  }

  list(req: ApiRequest): ApiResponse {
    const q = req.query;
    this.validateListOptions(q, false);
    const sel = this.parseSelection(q, this.versionOf(req.op));
    let after: string | undefined;
    let listRV = this.rt.store.resourceVersion;
    if (q.continue) {
      if (q.resourceVersion && q.resourceVersion !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
      const token = decodeContinue(String(q.continue));
      after = token.after;
      listRV = token.rv;
    } else {
      this.checkResourceVersionParam(q.resourceVersion as string | undefined);
    }
    const limit = typeof q.limit === 'number' && q.limit > 0 ? q.limit : Infinity;
    const items: KubeObject[] = [];
    let more = false;
    let remaining = 0;
    const filtered = !!(sel.label && !sel.label.empty) || !!(sel.field && !sel.field.empty);
    for (const obj of this.rt.store.list(this.def.plural, after)) {
      if (!this.matches(obj, sel)) continue;
      if (items.length >= limit) {
        more = true;
        if (filtered) break;
        remaining++;
        continue;
      }
      items.push(obj);
    }
    const body: ListBody = { kind: this.def.listKind, apiVersion: this.storage.apiVersion, metadata: { resourceVersion: String(listRV) }, items };
    if (more) {
      body.metadata.continue = encodeContinue(items[items.length - 1].metadata.name!, listRV);
      if (!filtered) body.metadata.remainingItemCount = remaining;
    }
    return { status: 200, body };
  }

  // ---- update (PUT) -------------------------------------------------------------------------

  async update(req: ApiRequest): Promise<ApiResponse> {
    const { obj, warnings, contractErrors } = this.decodeBody(req);
    const name = req.name!;
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    const old = this.getOrNotFound(name);
    const rv = obj.metadata.resourceVersion;
    if (!rv) {
      throw errors.invalid(this.gr, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: 0, detail: 'must be specified for an update' }]);
    }
    if (rv !== old.metadata.resourceVersion) throw errors.conflict(this.gr, name, 'the object has been modified; please apply your changes to the latest version and try again');
    return { ...(await this.updateObject(obj, old, req, 'Update', contractErrors)), warnings };
  }

  /** BeforeUpdate + storage update for an already-decoded new object; shared by PUT, patch and apply. */
  async updateObject(obj: KubeObject, old: KubeObject, req: ApiRequest, operation: 'Update' | 'Apply', contractErrors: FieldError[] = [], managed?: ManagedFieldsEntry[]): Promise<ApiResponse> {
    const name = old.metadata.name!;
    const sub = req.op.subresource;
    let next: KubeObject;
    if (sub === 'status') {
      // The status strategy keeps only the new .status; everything else is the stored object.
      next = { ...structuredClone(old), status: obj.status };
    } else {
      next = obj;
      if ('status' in old) next.status = structuredClone(old.status);
      else delete next.status;
      carryOverMetaOnUpdate(next.metadata, old.metadata);
    }
    // Deliberate difference from the real server (which validates the old object): validate the new one.
    const specErrs = this.validateObject(next, contractErrors, sub);
    if (specErrs.length) throw this.invalid(name, specErrs);
    const metaErrs = validateMetaForUpdate(next.metadata, old.metadata);
    if (metaErrs.length) throw this.invalid(name, metaErrs);

    const now = this.now();
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    const mf = managed ?? this.managedAfterUpdate(this.versionOf(req.op), next, old, { manager: this.manager(req), operation, subresource: sub, time: now });
    if (mf.length) next.metadata.managedFields = mf;
    else delete next.metadata.managedFields;

    const dryRun = this.dryRun(req.query);
    // A finalizer-free object that is being deleted goes away with this update.
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length) {
      await this.remove(name, dryRun);
      return { status: 200, body: next };
    }
    if (sameIgnoringManagedTimes(next, old)) return { status: 200, body: old }; // no-op: no write, no bump
    return { status: 200, body: await this.persist(next, dryRun) };
  }

  // ---- patch --------------------------------------------------------------------------------

  async patch(req: ApiRequest): Promise<ApiResponse> {
    const type = req.contentType as PatchType;
    // The patch types are the operation's request content types in openapi.yaml, in its order.
    if (!type || !req.op.requestContentTypes.includes(type)) throw errors.unsupportedMediaType(req.op.requestContentTypes);
    const q = req.query;
    if (type !== 'application/apply-patch+yaml' && q.force !== undefined) {
      throw invalidOptions('patch', [fieldError.forbidden('force', 'may not be specified for non-apply patch')]);
    }
    if (type === 'application/apply-patch+yaml') {
      if (!q.fieldManager) throw invalidOptions('patch', [fieldError.required('fieldManager', 'is required for apply patch')]);
      return this.apply(req, this.rt.store.get(this.def.plural, req.name!));
    }
    const name = req.name!;
    const current = this.getOrNotFound(name);
    // The patch applies to the object as the request's version shows it.
    const v = this.versionOf(req.op);
    const patched = applyPatch(type, v.fromStorage(current), req.body ?? Buffer.alloc(0), v.schema.patch);
    const fv = this.fieldValidation(q);
    const decoded = v.decode(patched, fv === 'Strict' ? 'Warn' : fv);
    if (fv === 'Strict' && decoded.warnings.length) {
      throw errors.invalid({ group: '', kind: '' }, '', [
        fieldError.invalid('patch', JSON.stringify(patched), `strict decoding error: ${decoded.warnings.join(', ')}`),
      ]);
    }
    const obj = decoded.obj;
    if (obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    }
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(this.gr, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return { ...(await this.updateObject(obj, current, req, 'Update', decoded.contractErrors)), warnings: decoded.warnings };
  }

  /**
   * Server-side apply (apply.ts) in the request's version: the live object, the merge and the
   * field sets are that version's; the result is converted and goes through create or update.
   */
  private apply(req: ApiRequest, current: KubeObject | undefined): Promise<ApiResponse> {
    if (!current && req.op.subresource) throw errors.notFound(this.gr, req.name!);
    const v = this.versionOf(req.op);
    const target: ApplyTarget = {
      apiVersion: v.apiVersion,
      kind: this.def.kind,
      gr: this.gr,
      lists: v.lists,
      decode: (value) => v.decoder.decode(value, 'Ignore'),
      unknownFields: (value) => v.codec.decode(value).unknownFields,
      create: (obj, managed, decoded) => this.createObject(v.toStorage(obj), req, 'Apply', decoded.contractErrors, managed),
      update: (obj, _live, managed, decoded) => this.updateObject(v.toStorage(obj), current!, req, 'Apply', decoded.contractErrors, managed),
    };
    const applyReq = { name: req.name!, body: req.body ?? Buffer.alloc(0), manager: this.manager(req), force: req.query.force === true, subresource: req.op.subresource, time: this.now() };
    return serverSideApply(target, applyReq, current && v.fromStorage(current)) as Promise<ApiResponse>;
  }

  // ---- delete -------------------------------------------------------------------------------

  /** DeleteOptions from the body (kubectl sends one) merged over the query parameters. */
  private deleteOptions(req: ApiRequest): Record<string, unknown> {
    const opts: Record<string, unknown> = { ...req.query };
    if (req.body && req.body.length && req.body.toString('utf8').trim()) {
      const parsed = parseBody(req.body, req.contentType === 'application/yaml' ? 'application/yaml' : 'application/json', "couldn't get version/kind; ");
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.badRequest('the body of the request was not a DeleteOptions object');
      Object.assign(opts, parsed);
      if (Array.isArray(opts.dryRun)) opts.dryRun = opts.dryRun[0];
    }
    // Values from the body meet the same enums openapi.yaml declares for the query parameters.
    const errs: FieldError[] = [];
    for (const name of ['propagationPolicy', 'dryRun']) {
      const e = opts[name] === undefined || opts[name] === null ? undefined : checkEnumOption(req.op, name, opts[name]);
      if (e) errs.push(e);
    }
    const pp = opts.propagationPolicy;
    if (opts.orphanDependents !== undefined && pp !== undefined) {
      errs.push(fieldError.invalid('propagationPolicy', pp, 'orphanDependents and deletionPropagation cannot be both set'));
    }
    if (errs.length) throw invalidOptions('delete', errs);
    return opts;
  }

  async delete(req: ApiRequest): Promise<ApiResponse> {
    const opts = this.deleteOptions(req);
    const name = req.name!;
    const current = this.getOrNotFound(name);
    const pre = (opts.preconditions ?? {}) as { uid?: string; resourceVersion?: string };
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw errors.conflict(this.gk, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict(this.gk, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`);
    }
    return this.deleteObject(current, opts);
  }

  private async deleteObject(current: KubeObject, opts: Record<string, unknown>): Promise<ApiResponse> {
    const name = current.metadata.name!;
    const dryRun = opts.dryRun === 'All';
    // Garbage-collection finalizers: nothing in this server ever removes them (as in the real one).
    const gcFinalizer = opts.propagationPolicy === 'Orphan' || opts.orphanDependents === true ? 'orphan' : opts.propagationPolicy === 'Foreground' ? 'foregroundDeletion' : undefined;
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (gcFinalizer && !finalizers.includes(gcFinalizer)) finalizers.push(gcFinalizer);
    if (finalizers.length) {
      if (current.metadata.deletionTimestamp && finalizers.length === (current.metadata.finalizers ?? []).length) {
        return { status: 200, body: current }; // already terminating: nothing changes
      }
      const next = structuredClone(current);
      next.metadata.finalizers = finalizers;
      next.metadata.deletionTimestamp ??= this.now();
      next.metadata.deletionGracePeriodSeconds ??= 0;
      return { status: 200, body: await this.persist(next, dryRun) };
    }
    await this.remove(name, dryRun);
    return { status: 200, body: successStatus(this.gr, name, current.metadata.uid) };
  }

  async deleteCollection(req: ApiRequest): Promise<ApiResponse> {
    const opts = this.deleteOptions(req);
    this.validateListOptions(req.query, false);
    const sel = this.parseSelection(req.query, this.versionOf(req.op));
    const victims = [...this.rt.store.list(this.def.plural)].filter((o) => this.matches(o, sel));
    for (const obj of victims) await this.deleteObject(obj, opts);
    const body: ListBody = { kind: this.def.listKind, apiVersion: this.storage.apiVersion, metadata: { resourceVersion: String(this.rt.store.resourceVersion) }, items: victims };
    return { status: 200, body };
  }
}

function withoutManagedTimes(o: KubeObject): KubeObject {
  const mf = o.metadata.managedFields?.map(({ time: _t, ...rest }) => rest);
  return { ...o, metadata: { ...o.metadata, managedFields: mf as KubeObject['metadata']['managedFields'] } };
}

function sameIgnoringManagedTimes(a: KubeObject, b: KubeObject): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(withoutManagedTimes(a))), JSON.parse(JSON.stringify(withoutManagedTimes(b))));
}
