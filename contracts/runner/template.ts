/**
 * Placeholders and JSON paths of the scenario language.
 *
 * `${name:web}` → `<run id>-<scenario no>-web` (every object a run creates is named so);
 * `${run}` → the run id; `${base}` → the Backend collection path; `${base:v1alpha}` → the same
 * collection in another served version; `${label}` → the run's label
 * selector; `${filler:N}` → N characters `x` (an oversized body without a huge file);
 * `${x}` → the value captured as `x` by an earlier step. A string that is exactly one
 * placeholder keeps the captured value's type (numbers stay numbers).
 */
import { isDeepStrictEqual } from 'node:util';
import { baseIn } from './safety.js';

/** The largest `${filler:N}`: a little over the 3 MiB request limit is all a scenario needs. */
export const MAX_FILLER = 16 * 1024 * 1024;
export interface Vars {
  run: string;
  /** Prefix of this scenario's object names: `<run id>-<scenario no>`. */
  prefix: string;
  base: string;
  label: string;
  captures: Record<string, unknown>;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

function lookup(key: string, vars: Vars): unknown {
  if (key.startsWith('name:')) return `${vars.prefix}-${key.slice(5)}`;
  if (key.startsWith('filler:')) {
    const n = Number(key.slice(7));
    if (!Number.isInteger(n) || n < 0 || n > MAX_FILLER) throw new Error(`\${${key}}: the length must be an integer from 0 to ${MAX_FILLER}`);
    return 'x'.repeat(n);
  }
  if (key === 'run') return vars.run;
  if (key === 'prefix') return vars.prefix;
  if (key === 'base') return vars.base;
  if (key.startsWith('base:')) return baseIn(key.slice(5));
  if (key === 'label') return vars.label;
  if (key in vars.captures) return vars.captures[key];
  throw new Error(`unknown placeholder \${${key}} (not captured by an earlier step?)`);
}

export function substitute<T>(value: T, vars: Vars): T {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1], vars) as T;
    return value.replace(PLACEHOLDER, (_, k: string) => String(lookup(k, vars))) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, vars), substitute(v, vars)])) as T;
  }
  return value;
}

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

const MATCHER_KEYS = new Set(['exists', 'not', 'length', 'contains', 'matches', 'oneOf', 'absent']);

function isMatcher(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => MATCHER_KEYS.has(k));
}

/** JSON values compared as values (key order does not matter). */
export const deepEqual = isDeepStrictEqual;

/** Undefined when the actual value meets the expectation, else what is wrong. */
export function mismatch(actual: { found: boolean; value: unknown }, expected: unknown): string | undefined {
  const show = (v: unknown) => (actual.found ? JSON.stringify(v) : 'absent');
  if (!isMatcher(expected)) {
    return actual.found && deepEqual(actual.value, expected) ? undefined : `expected ${JSON.stringify(expected)}, got ${show(actual.value)}`;
  }
  const m = expected;
  if ('exists' in m && actual.found !== m.exists) return `expected ${m.exists ? 'present' : 'absent'}, got ${show(actual.value)}`;
  if ('absent' in m && actual.found === !!m.absent) return `expected ${m.absent ? 'absent' : 'present'}, got ${show(actual.value)}`;
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
