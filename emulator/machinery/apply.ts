/**
 * Server-side apply (PATCH application/apply-patch+yaml), as k8s.io/apimachinery's
 * managedfields package does it for one resource: the applied configuration is merged into
 * the live object, the applier owns exactly the fields it sent, fields it applied before and
 * no longer sends are removed (unless another manager owns them too), and a field another
 * manager owns with a different value is a conflict (409) unless force=true moves it over.
 *
 * Resource-agnostic: list semantics come from the schema (`x-kubernetes-list-type`), and the
 * registry supplies decoding, create and update (see ApplyTarget).
 */
import type { KubeObject, ManagedFieldsEntry } from '../resources/types.js';
import { parseBody, type DecodeResult } from './decode.js';
import { fromFieldsV1, leaves, managerEntry, SEP, toFieldsV1, type ListTypes } from './managed-fields.js';
import { errors, StatusError, type GroupResource, type StatusCause } from './status.js';

/** What the registry lends to an apply: the resource's identity, decoder and write paths. */
export interface ApplyTarget {
  apiVersion: string;
  kind: string;
  gr: GroupResource;
  lists: ListTypes;
  /** Go decoding and defaulting of a whole object (fieldValidation=Ignore). */
  decode(value: unknown): DecodeResult;
  /** Fields the schema does not declare, in `spec.foo` form (the value is left untouched). */
  unknownFields(value: Record<string, unknown>): string[];
  /** Create with these managedFields (201). */
  create(obj: KubeObject, managed: ManagedFieldsEntry[], decoded: DecodeResult): Promise<KubeObject>;
  /** Update with these managedFields. */
  update(obj: KubeObject, current: KubeObject, managed: ManagedFieldsEntry[], decoded: DecodeResult): Promise<{ status: number; body: unknown }>;
}

export interface ApplyRequest {
  name: string;
  body: Buffer;
  manager: string;
  force: boolean;
  subresource?: string;
  /** RFC 3339 time of this write. */
  time: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Explicit nulls in an applied configuration set nothing. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, c] of Object.entries(v)) if (c !== null) out[k] = withoutNulls(c);
  return out;
}

/** The applied configuration: checks of structuredmerge.go and versioncheck.go, in their order. */
export function parseAppliedConfiguration(raw: Buffer, apiVersion: string, kind: string): Record<string, unknown> {
  const value = parseBody(raw, 'application/apply-patch+yaml', '');
  if (!isObject(value)) throw errors.badRequest(`error decoding YAML: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type map[string]interface {}`);
  const gv = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  if (gv !== apiVersion) throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${gv}, expected: ${apiVersion}`);
  const k = typeof value.kind === 'string' ? value.kind : '';
  if (k !== kind) throw errors.badRequest(`invalid object type: ${apiVersion}, Kind=${k}`);
  if (isObject(value.metadata) && value.metadata.managedFields !== undefined && value.metadata.managedFields !== null) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
  return withoutNulls(value) as Record<string, unknown>;
}

/** A FieldsV1 path as structured-merge-diff prints it: `.spec.protocol`, `.status.conditions[type="Ready"].status`. */
export function printPath(path: string): string {
  return path
    .split(SEP)
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      if (el.startsWith('k:')) {
        const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      if (el.startsWith('v:')) return `[=${el.slice(2)}]`;
      return el;
    })
    .join('');
}

/** How conflict.go's printManager names the owner of a conflicting field. */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

interface Conflict {
  owner: ManagedFieldsEntry;
  path: string;
}

/** managedfields/internal/conflict.go NewConflictError. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => (a.owner.manager === b.owner.manager ? (a.path < b.path ? -1 : 1) : a.owner.manager < b.owner.manager ? -1 : 1));
  const causes: StatusCause[] = sorted.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.owner)}`, field: printPath(c.path) }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(sorted[0].owner)}: ${printPath(sorted[0].path)}`;
  } else {
    const byOwner = new Map<string, string[]>();
    for (const c of sorted) {
      const who = printManager(c.owner);
      (byOwner.get(who) ?? byOwner.set(who, []).get(who)!).push(`- ${printPath(c.path)}`);
    }
    const lines = [...byOwner].flatMap(([who, paths]) => [`conflicts with ${who}:`, ...paths]);
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}

// ---- navigating and editing objects by FieldsV1 path ----------------------------------------

function findInList(list: unknown[], el: string): number {
  if (el.startsWith('k:')) {
    const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
    return list.findIndex((item) => isObject(item) && Object.entries(keys).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v)));
  }
  const want = el.slice(2);
  return list.findIndex((item) => JSON.stringify(item) === want);
}

/** Removes the field at `path` and the containers its removal left empty. */
function removePath(obj: Record<string, unknown>, path: string, lists: ListTypes): void {
  const parts = path.split(SEP);
  const trail: { container: Record<string, unknown> | unknown[]; key: string | number; schemaPath: string[] }[] = [];
  let node: unknown = obj;
  const spath: string[] = [];
  for (const el of parts) {
    if (el.startsWith('f:') && isObject(node)) {
      const key = el.slice(2);
      trail.push({ container: node, key, schemaPath: [...spath] });
      spath.push(key);
      node = node[key];
    } else if (Array.isArray(node)) {
      const i = findInList(node, el);
      if (i < 0) return;
      trail.push({ container: node, key: i, schemaPath: [...spath] });
      spath.push('[]');
      node = node[i];
    } else return;
    if (node === undefined) return;
  }
  // A map-list item keeps its key fields while it has anything else.
  const last = trail[trail.length - 1];
  const parent = trail[trail.length - 2];
  if (parent && Array.isArray(parent.container)) {
    const lt = lists.get(parent.schemaPath.join('.'));
    if (lt?.type === 'map' && lt.keys.includes(String(last.key))) {
      const item = last.container as Record<string, unknown>;
      if (Object.keys(item).some((k) => !lt.keys.includes(k))) return;
    }
  }
  for (let i = trail.length - 1; i >= 0; i--) {
    const { container, key } = trail[i];
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
    if (i === 0) break;
    const remaining = Array.isArray(container) ? container.length : Object.keys(container).length;
    // Keep the container unless the removal emptied it, or only a map-list item's keys are left.
    const up = trail[i - 1];
    const lt = Array.isArray(up.container) ? lists.get(up.schemaPath.join('.')) : undefined;
    const onlyKeys = lt?.type === 'map' && !Array.isArray(container) && Object.keys(container).every((k) => lt.keys.includes(k));
    if (remaining > 0 && !onlyKeys) break;
  }
}

/** Merges an applied configuration into the live object: maps recursively, map-lists by key, sets by value; other lists replace. */
export function mergeApplied(live: unknown, applied: unknown, lists: ListTypes, spath: string[] = []): unknown {
  if (isObject(live) && isObject(applied)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(live[k], v, lists, [...spath, k]);
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const lt = lists.get(spath.join('.'));
    if (lt?.type === 'map') {
      const out = [...live];
      for (const item of applied) {
        if (!isObject(item)) return applied;
        const i = out.findIndex((l) => isObject(l) && lt.keys.every((k) => JSON.stringify(l[k]) === JSON.stringify(item[k])));
        if (i >= 0) out[i] = mergeApplied(out[i], item, lists, [...spath, '[]']);
        else out.push(item);
      }
      return out;
    }
    if (lt?.type === 'set') {
      const seen = new Set(live.map((v) => JSON.stringify(v)));
      return [...live, ...applied.filter((v) => !seen.has(JSON.stringify(v)))];
    }
  }
  return structuredClone(applied);
}

/** The part of a field set a write to this (sub)resource can touch. */
function inScope(path: string, subresource: string | undefined): boolean {
  const isStatus = path === 'f:status' || path.startsWith(`f:status${SEP}`);
  return subresource === 'status' ? isStatus : !isStatus;
}

/** The apply manager's identity ignores apiVersion (BuildManagerIdentifier). */
function isApplier(e: ManagedFieldsEntry, req: ApplyRequest): boolean {
  return e.manager === req.manager && e.operation === 'Apply' && (e.subresource ?? '') === (req.subresource ?? '');
}

/** Applies `req` to `current` (undefined: the object does not exist yet). */
export async function serverSideApply(t: ApplyTarget, req: ApplyRequest, current: KubeObject | undefined): Promise<{ status: number; body: unknown }> {
  const config = parseAppliedConfiguration(req.body, t.apiVersion, t.kind);
  const meta = (isObject(config.metadata) ? config.metadata : {}) as Record<string, unknown>;
  if (meta.name !== req.name) {
    throw errors.badRequest(`the name of the object (${typeof meta.name === 'string' ? meta.name : ''}) does not match the name on the URL (${req.name})`);
  }
  const unknown = t.unknownFields(structuredClone(config));
  if (unknown.length) {
    // The typed conversion of the patch fails whatever fieldValidation says (kubernetes#122480).
    const errs = unknown.map((f) => `.${f}: field not declared in schema`);
    const detail = errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
    throw errors.internal(`failed to create typed patch object (${t.apiVersion}, Kind=${t.kind}) /${req.name}: ${detail}`);
  }

  const appliedRaw = leaves(config, t.lists);
  const applied = new Set([...appliedRaw.keys()].filter((p) => inScope(p, req.subresource)));
  const entryFor = (paths: Iterable<string>): ManagedFieldsEntry => managerEntry({ manager: req.manager, operation: 'Apply', apiVersion: t.apiVersion, subresource: req.subresource, time: req.time }, paths);

  if (!current) {
    const decoded = t.decode(structuredClone(config));
    const managed = applied.size ? [entryFor(applied)] : [];
    return { status: 201, body: await t.create(decoded.obj, managed, decoded) };
  }

  if (meta.resourceVersion !== undefined && meta.resourceVersion !== '' && meta.resourceVersion !== current.metadata.resourceVersion) {
    throw errors.conflict(t.gr, req.name, 'the object has been modified; please apply your changes to the latest version and try again');
  }

  // Values compare after the Go decoding and defaulting both sides went through ("H2" is "h2").
  const normalized = leaves(t.decode(structuredClone(config)).obj, t.lists);
  const live = leaves(current, t.lists);
  const entries = (current.metadata.managedFields ?? []).map((e) => ({ entry: e, fields: fromFieldsV1(e.fieldsV1) }));
  const conflicts: Conflict[] = [];
  for (const p of applied) {
    const liveValue = live.get(p);
    if (liveValue === undefined || liveValue === (normalized.get(p) ?? appliedRaw.get(p))) continue;
    for (const { entry, fields } of entries) if (!isApplier(entry, req) && fields.has(p)) conflicts.push({ owner: entry, path: p });
  }
  if (conflicts.length && !req.force) throw conflictError(conflicts);
  for (const c of conflicts) entries.find((e) => e.entry === c.owner)!.fields.delete(c.path);

  // Fields this manager applied before and no longer applies go, unless someone else owns them.
  const mine = entries.find((e) => isApplier(e.entry, req));
  const merged = structuredClone(current) as unknown as Record<string, unknown>;
  for (const p of mine?.fields ?? []) {
    if (applied.has(p) || !inScope(p, req.subresource)) continue;
    if (entries.some((e) => e !== mine && e.fields.has(p))) continue;
    removePath(merged, p, t.lists);
  }
  const decoded = t.decode(mergeApplied(merged, config, t.lists));
  const next = decoded.obj;

  // Ownership of what the result still holds; this manager's entry replaces its previous one.
  const present = leaves(next, t.lists);
  const managed: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const { entry, fields } of entries) {
    if (isApplier(entry, req)) {
      if (applied.size) managed.push(entryFor(applied));
      placed = true;
      continue;
    }
    const kept = [...fields].filter((p) => present.has(p) || !inScope(p, req.subresource));
    if (kept.length) managed.push({ ...entry, fieldsV1: toFieldsV1(kept) });
  }
  if (!placed && applied.size) managed.push(entryFor(applied));
  return t.update(next, current, managed, decoded);
}
