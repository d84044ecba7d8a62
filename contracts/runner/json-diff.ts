/**
 * Where two JSON values differ, as JSON paths of the scenario language with both values
 * (undefined where one side has nothing). Key order does not matter; array positions do.
 */
import { deepEqual, formatPath } from './matchers.js';

export interface JsonDifference {
  /** '' for the value as a whole. */
  path: string;
  a: unknown;
  b: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function walk(a: unknown, b: unknown, at: Array<string | number>, out: JsonDifference[]) {
  if (deepEqual(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], [...at, i], out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], [...at, k], out);
    return;
  }
  out.push({ path: formatPath(at), a, b });
}

export function jsonDifferences(a: unknown, b: unknown): JsonDifference[] {
  const out: JsonDifference[] = [];
  walk(a, b, [], out);
  return out;
}
