/**
 * Placeholders of the scenario language.
 *
 * `${name:web}` → `<run id>-<scenario no>-web` (every object a run creates is named so);
 * `${run}` → the run id; `${base}` → the collection path of the scenario's resource in its
 * first version; `${base:v1alpha}` → the same collection in another served version (both read
 * from openapi.yaml: openapi/resources.ts); `${label}` → the run's label selector;
 * `${filler:N}` → N characters `x` (an oversized body without a huge file); `${x}` → the value
 * captured as `x` by an earlier step. A string that is exactly one placeholder keeps the
 * captured value's type (numbers stay numbers).
 */
import { versionOf, type ContractResource } from '../openapi/resources.js';

/** The largest `${filler:N}`: a little over the 3 MiB request limit is all a scenario needs. */
const MAX_FILLER = 16 * 1024 * 1024;
export interface Vars {
  run: string;
  /** Prefix of this scenario's object names: `<run id>-<scenario no>`. */
  prefix: string;
  /** The resource the scenario tests: `${base}` and `${base:<version>}` are its collections. */
  resource: ContractResource;
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
  if (key === 'base') return versionOf(vars.resource).collection;
  if (key.startsWith('base:')) return versionOf(vars.resource, key.slice(5)).collection;
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

/** Every `${base:<version>}` a scenario uses, to check them against the document before a run. */
export function versionsUsed(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/\$\{base:([^}]+)\}/g)) out.add(m[1]);
  else if (Array.isArray(value)) value.forEach((v) => versionsUsed(v, out));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => (versionsUsed(k, out), versionsUsed(v, out)));
  return out;
}
