/**
 * metadata.managedFields (the field manager of k8s.io/apiserver): field sets as
 * structured-merge-diff paths, rendered as FieldsV1, and the ownership rules of Update
 * operations (the manager of a write owns the fields it set or changed; other managers lose
 * them). Server-side apply (apply.ts) builds on the same paths.
 *
 * A path is its FieldsV1 elements joined by SEP: `f:spec␁f:protocol`. Lists follow their
 * schema's `x-kubernetes-list-type`: `map` lists are addressed per element by their keys
 * (`k:{"type":"Ready"}`), `set` lists per value (`v:"a"`), any other list is atomic (a leaf).
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { KubeObject, ManagedFieldsEntry } from '../resources/types.js';
import { resolve } from '../openapi/schema-walk.js';

export const SEP = '\u0001';
/** Metadata the server owns: never part of anyone's field set. */
const SYSTEM_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

export type ListType = { type: 'map'; keys: string[] } | { type: 'set' };
/**
 * List types by schema path: field names joined by ".", a list element written `[]`
 * (`status.conditions`, `metadata.ownerReferences`). Lists not named here are atomic.
 */
export type ListTypes = ReadonlyMap<string, ListType>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads every `x-kubernetes-list-type: map|set` reachable from a kind's schema, once at start-up. */
export function listTypesOf(schemas: Record<string, OpenAPIV3.SchemaObject>, schemaKey: string): ListTypes {
  const out = new Map<string, ListType>();
  const walk = (schema: unknown, path: string[], seen: Set<string>) => {
    const { schema: s, key } = resolve(schemas, schema);
    if (key && seen.has(key)) return; // recursive schemas (JSONSchemaProps) have no lists we need
    const inner = key ? new Set([...seen, key]) : seen;
    if (s.type === 'array' || s.items) {
      const lt = s['x-kubernetes-list-type'];
      const keys = s['x-kubernetes-list-map-keys'];
      if (lt === 'map' && Array.isArray(keys) && keys.length) out.set(path.join('.'), { type: 'map', keys: [...keys].map(String) });
      else if (lt === 'set') out.set(path.join('.'), { type: 'set' });
      if (s.items) walk(s.items, [...path, '[]'], inner);
      return;
    }
    for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) walk(child, [...path, name], inner);
  };
  walk({ $ref: `#/components/schemas/${schemaKey}` }, [], new Set());
  return out;
}

/** The key element of a map-list item: `k:{"type":"Ready"}`, key fields sorted by name as SMD does. */
export function mapKey(item: Record<string, unknown>, keys: string[]): string {
  const fields: Record<string, unknown> = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined) fields[k] = item[k];
  return `k:${JSON.stringify(fields)}`;
}

/** Visits the leaves of a value under its list types: (path elements, schema path, value). */
function walkLeaves(v: unknown, lists: ListTypes, visit: (path: string[], value: unknown) => void, path: string[] = [], spath: string[] = []): void {
  if (isObject(v)) {
    // An empty struct (a Go zero value such as `status: {}`) sets no field.
    if (!Object.keys(v).length) return;
    for (const [k, child] of Object.entries(v)) {
      if (!path.length && (k === 'apiVersion' || k === 'kind')) continue;
      if (path.length === 1 && path[0] === 'f:metadata' && SYSTEM_META.has(k)) continue;
      walkLeaves(child, lists, visit, [...path, `f:${k}`], [...spath, k]);
    }
    return;
  }
  if (Array.isArray(v) && v.length && path.length) {
    const lt = lists.get(spath.join('.'));
    if (lt?.type === 'map' && v.every(isObject)) {
      for (const item of v as Record<string, unknown>[]) walkLeaves(item, lists, visit, [...path, mapKey(item, lt.keys)], [...spath, '[]']);
      return;
    }
    if (lt?.type === 'set') {
      for (const item of v) visit([...path, `v:${JSON.stringify(item)}`], item);
      return;
    }
  }
  if (path.length && v !== null && v !== undefined) visit(path, v);
}

/** Leaf paths of an object with their JSON values, in FieldsV1 path form. */
export function leaves(obj: unknown, lists: ListTypes = new Map()): Map<string, string> {
  const out = new Map<string, string>();
  walkLeaves(obj, lists, (path, value) => out.set(path.join(SEP), JSON.stringify(value)));
  return out;
}

export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of [...paths].sort()) {
    let node = root;
    const parts = p.split(SEP);
    parts.forEach((part, i) => {
      const existing = node[part] as Record<string, unknown> | undefined;
      const next = existing ?? {};
      // A map, struct or list item the manager set is itself owned ("."); metadata is just a container.
      if (i < parts.length - 1 && !existing && !(i === 0 && part === 'f:metadata')) next['.'] = {};
      node[part] = next;
      node = next;
    });
  }
  return root;
}

export function fromFieldsV1(f: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node).filter((k) => k !== '.');
    if (!keys.length && path.length) out.add(path.join(SEP));
    for (const k of keys) walk(node[k], [...path, k]);
  };
  walk(f, []);
  return out;
}

/** The manager name kube-apiserver uses when fieldManager is not given: the User-Agent up to "/". */
export function defaultManager(userAgent: string | undefined): string {
  // handlers' prefixFromUserAgent: up to the first "/", printable characters only (Go's
  // unicode.IsPrint), stopping once 128 bytes are written.
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (!GO_PRINTABLE.test(ch)) continue;
    if (Buffer.byteLength(out) >= 128) break;
    out += ch;
  }
  return out;
}

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export interface ManagerWrite {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  subresource?: string;
  time: string;
}

/** One managedFields entry per (manager, operation, apiVersion, subresource). */
export function sameManager(e: ManagedFieldsEntry, w: Omit<ManagerWrite, 'time'>): boolean {
  return e.manager === w.manager && e.operation === w.operation && e.apiVersion === w.apiVersion && (e.subresource ?? '') === (w.subresource ?? '');
}

export function managerEntry(write: ManagerWrite, paths: Iterable<string>): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = { manager: write.manager, operation: write.operation, apiVersion: write.apiVersion, time: write.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths) };
  if (write.subresource) entry.subresource = write.subresource;
  return entry;
}

/** Returns the new managedFields after `write` (an Update) turned `before` (undefined on create) into `after`. */
export function updateManagedFields(after: KubeObject, before: KubeObject | undefined, write: ManagerWrite, lists: ListTypes = new Map()): ManagedFieldsEntry[] {
  const newLeaves = leaves(after, lists);
  const oldLeaves = before ? leaves(before, lists) : new Map<string, string>();
  const changed = new Set([...newLeaves.keys()].filter((p) => oldLeaves.get(p) !== newLeaves.get(p)));
  const entries = (before?.metadata.managedFields ?? after.metadata.managedFields ?? []).map((e) => ({ ...e }));
  const result: ManagedFieldsEntry[] = [];
  let mine: Set<string> = new Set();
  for (const e of before ? entries : []) {
    const set = fromFieldsV1(e.fieldsV1);
    const isMine = sameManager(e, write);
    for (const p of [...set]) if (!newLeaves.has(p) || (changed.has(p) && !isMine)) set.delete(p);
    if (isMine) mine = set;
    else if (set.size) result.push({ ...e, fieldsV1: toFieldsV1(set) });
  }
  for (const p of changed) mine.add(p);
  if (mine.size) {
    const entry = managerEntry(write, mine);
    const prev = entries.find((e) => sameManager(e, write));
    if (prev && !changed.size) entry.time = prev.time ?? write.time;
    result.push(entry);
  }
  return result;
}
