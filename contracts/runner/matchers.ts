/**
 * JSON paths and matchers of the scenario language: `metadata.labels["a.b/c"]`,
 * `items[0].metadata.name`; a value or a matcher `{exists}`, `{not}`, `{length}`, `{contains}`,
 * `{matches}`, `{oneOf}`. Expectations, captures, watch events and the comparison
 * of recordings all speak this one language.
 */
import { isDeepStrictEqual } from 'node:util';

/** `metadata.labels["a.b/c"]`, `items[0].metadata.name`, `details.causes[1].field` → segments. */
export function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

export function getPath(obj: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const seg of parsePath(path)) {
    if (cur === null || typeof cur !== 'object' || !(seg in (cur as object))) return { found: false, value: undefined };
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return { found: true, value: cur };
}

/** Every matcher: the fault test proves each one fires (test/contracts-faults.test.ts). */
export const MATCHERS = ['exists', 'not', 'length', 'contains', 'matches', 'oneOf'] as const;
const MATCHER_KEYS = new Set<string>(MATCHERS);

export function isMatcher(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => MATCHER_KEYS.has(k));
}

/** JSON values compared as values (key order does not matter). */
export const deepEqual = isDeepStrictEqual;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Segments back to a path: `spec.endpoints[0].fqdn`, `metadata.labels["contracts.apoxy.dev/run"]`. */
export function formatPath(segments: Array<string | number>): string {
  let out = '';
  for (const s of segments) {
    // An index is never a plain key: it is written [0] by the same rule as ["a b"].
    if (typeof s === 'string' && PLAIN_KEY.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Undefined when the actual value meets the expectation, else what is wrong. */
export function mismatch(actual: { found: boolean; value: unknown }, expected: unknown): string | undefined {
  const show = (v: unknown) => (actual.found ? JSON.stringify(v) : 'absent');
  if (!isMatcher(expected)) {
    return actual.found && deepEqual(actual.value, expected) ? undefined : `expected ${JSON.stringify(expected)}, got ${show(actual.value)}`;
  }
  const m = expected;
  if ('exists' in m && actual.found !== m.exists) return `expected ${m.exists ? 'present' : 'absent'}, got ${show(actual.value)}`;
  if ('not' in m && actual.found && deepEqual(actual.value, m.not)) return `expected anything but ${JSON.stringify(m.not)}`;
  if ('length' in m) {
    const len = Array.isArray(actual.value) || typeof actual.value === 'string' ? actual.value.length : undefined;
    if (len !== m.length) return `expected length ${m.length}, got ${len === undefined ? show(actual.value) : len}`;
  }
  if ('contains' in m) {
    const v = actual.value;
    const ok = typeof v === 'string' ? v.includes(String(m.contains)) : Array.isArray(v) && v.some((x) => deepEqual(x, m.contains));
    if (!ok) return `expected to contain ${JSON.stringify(m.contains)}, got ${show(v)}`;
  }
  if ('matches' in m && !(typeof actual.value === 'string' && new RegExp(String(m.matches)).test(actual.value))) {
    return `expected to match /${m.matches}/, got ${show(actual.value)}`;
  }
  if ('oneOf' in m && !(actual.found && (m.oneOf as unknown[]).some((x) => deepEqual(x, actual.value)))) {
    return `expected one of ${JSON.stringify(m.oneOf)}, got ${show(actual.value)}`;
  }
  return undefined;
}
