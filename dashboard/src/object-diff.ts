/**
 * What changed between two versions of an object, as `path: before → after` lines, for the
 * history of a Backend in this session. Lists of items keyed by `type` or `name` (conditions,
 * ownerReferences) are compared item by item, other lists whole; resourceVersion and
 * managedFields are left out (each write changes them; the history shows them apart).
 */

export interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
}

const IGNORED = new Set(['metadata.resourceVersion', 'metadata.managedFields']);

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The key field shared by every item of both lists, unique in each, if there is one. */
function itemKey(before: unknown[], after: unknown[]): string | undefined {
  for (const key of ['type', 'name']) {
    const ok = (list: unknown[]) => list.every((i) => isMap(i) && typeof i[key] === 'string') && new Set(list.map((i) => (i as Record<string, unknown>)[key])).size === list.length;
    if (ok(before) && ok(after)) return key;
  }
  return undefined;
}

export function diffObjects(before: unknown, after: unknown, path = ''): Change[] {
  if (IGNORED.has(path)) return [];
  if (Array.isArray(before) && Array.isArray(after) && (before.length || after.length)) {
    const key = itemKey(before, after);
    if (key) {
      const byKey = (list: unknown[]) => new Map(list.map((i) => [(i as Record<string, string>)[key], i]));
      const [b, a] = [byKey(before), byKey(after)];
      return [...new Set([...b.keys(), ...a.keys()])].flatMap((k) => diffObjects(b.get(k), a.get(k), `${path}[${key}=${k}]`));
    }
  }
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffObjects(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, before, after }];
}

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

export function describeChange(c: Change): string {
  if (c.before === undefined) return `${c.path}: set to ${show(c.after)}`;
  if (c.after === undefined) return `${c.path}: removed (was ${show(c.before)})`;
  return `${c.path}: ${show(c.before)} → ${show(c.after)}`;
}
