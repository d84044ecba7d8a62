/**
 * metadata.managedFields for Update operations (the field manager of k8s.io/apiserver):
 * the manager of a write owns the fields it set or changed; other managers lose them.
 * Field sets are kept as path strings ("f:spec\u0001f:protocol") and rendered as FieldsV1.
 * Lists are atomic, as for every list of Backend without a list type.
 */
import type { KubeObject, ManagedFieldsEntry } from '../resources/types.js';

const SEP = '\u0001';
/** Metadata the server owns: never part of anyone's field set. */
const SYSTEM_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaf paths of an object with their JSON values, in FieldsV1 path form. */
export function leaves(obj: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, path: string[], top: boolean) => {
    if (isObject(v) && Object.keys(v).length) {
      for (const [k, child] of Object.entries(v)) {
        if (top && (k === 'apiVersion' || k === 'kind')) continue;
        if (path.length === 1 && path[0] === 'f:metadata' && SYSTEM_META.has(k)) continue;
        walk(child, [...path, `f:${k}`], false);
      }
    } else if (path.length && v !== null && v !== undefined) {
      out.set(path.join(SEP), JSON.stringify(v));
    }
  };
  walk(obj, [], true);
  return out;
}

export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    const parts = p.split(SEP);
    parts.forEach((part, i) => {
      const existing = node[part] as Record<string, unknown> | undefined;
      const next = existing ?? {};
      // A map or struct the manager set is itself owned ("."); metadata is just a container.
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
  const ua = (userAgent ?? '').split('/')[0].trim();
  return ua || 'unknown';
}

export interface ManagerWrite {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  subresource?: string;
  time: string;
}

/** Returns the new managedFields after `write` turned `before` (undefined on create) into `after`. */
export function updateManagedFields(after: KubeObject, before: KubeObject | undefined, write: ManagerWrite): ManagedFieldsEntry[] {
  const newLeaves = leaves(after);
  const oldLeaves = before ? leaves(before) : new Map<string, string>();
  const changed = [...newLeaves.keys()].filter((p) => oldLeaves.get(p) !== newLeaves.get(p));
  const entries = (before?.metadata.managedFields ?? after.metadata.managedFields ?? []).map((e) => ({ ...e }));
  const same = (e: ManagedFieldsEntry) => e.manager === write.manager && e.operation === write.operation && e.apiVersion === write.apiVersion && (e.subresource ?? '') === (write.subresource ?? '');
  const result: ManagedFieldsEntry[] = [];
  let mine: Set<string> = new Set();
  for (const e of before ? entries : []) {
    const set = fromFieldsV1(e.fieldsV1);
    for (const p of [...set]) if (!newLeaves.has(p) || (changed.includes(p) && !same(e))) set.delete(p);
    if (same(e)) mine = set;
    else if (set.size) result.push({ ...e, fieldsV1: toFieldsV1(set) });
  }
  for (const p of changed) mine.add(p);
  if (mine.size) {
    const entry: ManagedFieldsEntry = { manager: write.manager, operation: write.operation, apiVersion: write.apiVersion, time: write.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(mine) };
    if (write.subresource) entry.subresource = write.subresource;
    const prev = entries.find(same);
    if (prev && !changed.length) entry.time = prev.time ?? write.time;
    result.push(entry);
  }
  return result;
}
