/**
 * One validation of EmulatorOptions, shared by createEmulator() and the CLI, so that a value the
 * CLI refuses is refused programmatically too, with the same message. Each message names the
 * option the way its caller spells it: `profile` for createEmulator(), `--profile` for the CLI
 * (which passes its flag names). Every option has an entry here: an option without a check is an
 * unknown option, which catches typos in plain JavaScript (`{ profle: 'documented' }`).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { EmulatorOptions } from './options.js';
import { normalizeConfig } from './faults/rules.js';
import { DEFAULT_LIMITS } from './http/limits.js';
import { parseAllowedHosts } from './http/host-check.js';
import { compileCorsOrigins } from './http/cross-origin.js';
import { durationMs, parseRfc3339 } from './simulate/clock.js';

/** A bad option: `option` is its key in EmulatorOptions, the message names it as the caller does. */
export class EmulatorOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorOptionsError';
  }
}

/** How the caller names each option in messages (default: the option's own key). */
export type OptionNames = Partial<Record<keyof EmulatorOptions | 'tls.cert' | 'tls.key', string>>;

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : v instanceof Date ? `Date(${v.getTime()})` : typeof v === 'object' && v !== null ? (Array.isArray(v) ? 'an array' : 'an object') : String(v));

type Check = (value: unknown, name: (key: keyof OptionNames) => string) => string | undefined;

const isPositiveInteger = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
const positiveInteger = (key: keyof EmulatorOptions): Check => (v, name) => (isPositiveInteger(v) ? undefined : `${name(key)} must be a positive integer, got ${show(v)}`);
const nonNegativeInteger = (key: keyof EmulatorOptions): Check => (v, name) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${name(key)} must be an integer of 0 or more, got ${show(v)}`);
const aFunction = (key: keyof EmulatorOptions): Check => (v, name) => (typeof v === 'function' ? undefined : `${name(key)} must be a function, got ${show(v)}`);
const nonEmptyString = (key: keyof EmulatorOptions): Check => (v, name) => (typeof v === 'string' && v !== '' ? undefined : `${name(key)} must be a non-empty string, got ${show(v)}`);

function pemProblem(text: unknown, what: 'certificate' | 'key'): string | undefined {
  if (typeof text !== 'string') return `must be PEM text, got ${show(text)}`;
  try {
    if (what === 'certificate') new X509Certificate(text);
    else createPrivateKey(text);
    return undefined;
  } catch (e) {
    return `is not a PEM ${what === 'certificate' ? 'certificate' : 'private key'} (${(e as Error).message})`;
  }
}

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS);

/** The message of what a parser throws (its messages name the option as given), or undefined. */
function thrown(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const CHECKS: Record<keyof EmulatorOptions, Check> = {
  dataFile: nonEmptyString('dataFile'),
  profile: (v, name) => (v === 'apoxy' || v === 'documented' ? undefined : `${name('profile')} must be apoxy or documented, got ${show(v)}`),
  seed: (v, name) =>
    typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string')) ? undefined : `${name('seed')} must be a path or a list of paths, got ${show(v)}`,
  validateResponses: (v, name) => (typeof v === 'boolean' ? undefined : `${name('validateResponses')} must be true or false, got ${show(v)}`),
  clock: aFunction('clock'),
  random: aFunction('random'),
  uuid: aFunction('uuid'),
  watchBookmarkIntervalMs: positiveInteger('watchBookmarkIntervalMs'),
  watchHistory: positiveInteger('watchHistory'),
  apiKey: nonEmptyString('apiKey'),
  limits: (v, name) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${name('limits')} must be an object, got ${show(v)}`;
    for (const [k, n] of Object.entries(v)) {
      if (!LIMIT_KEYS.includes(k)) return `${name('limits')}: unknown limit ${JSON.stringify(k)} (known: ${LIMIT_KEYS.join(', ')})`;
      if (!isPositiveInteger(n)) return `${name('limits')}.${k} must be a positive integer, got ${show(n)}`;
    }
    return undefined;
  },
  tls: (v, name) => {
    if (v === 'self-signed') return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !('cert' in v) || !('key' in v)) {
      return `${name('tls')} must be "self-signed" or { cert, key } (PEM text), got ${show(v)}`;
    }
    const { cert, key } = v as { cert: unknown; key: unknown };
    const c = pemProblem(cert, 'certificate');
    if (c) return `${name('tls.cert')} ${c}`;
    const k = pemProblem(key, 'key');
    return k ? `${name('tls.key')} ${k}` : undefined;
  },
  fixedClock: (v, name) => {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? `${name('fixedClock')} is an invalid Date` : undefined;
    if (typeof v !== 'string') return `${name('fixedClock')} must be a Date or an RFC 3339 time, got ${show(v)}`;
    try {
      parseRfc3339(v);
      return undefined;
    } catch (e) {
      return `${name('fixedClock')}: ${(e as Error).message}`;
    }
  },
  randomSeed: (v, name) => (Number.isSafeInteger(v) || (typeof v === 'string' && v !== '') ? undefined : `${name('randomSeed')} must be an integer or a non-empty string, got ${show(v)}`),
  faults: (v, name) => {
    try {
      normalizeConfig(v);
      return undefined;
    } catch (e) {
      return `${name('faults')}: ${(e as Error).message}`;
    }
  },
  simulateReady: (v, name) => {
    if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? undefined : `${name('simulateReady')} must be 0 or more milliseconds, got ${show(v)}`;
    if (typeof v !== 'string') return `${name('simulateReady')} must be milliseconds or a Go duration such as "2s", got ${show(v)}`;
    try {
      if (durationMs(v) < 0) return `${name('simulateReady')} must not be negative, got ${show(v)}`;
      return undefined;
    } catch (e) {
      return `${name('simulateReady')}: ${(e as Error).message}`;
    }
  },
  requestLogSize: nonNegativeInteger('requestLogSize'),
  requestLogBodyBytes: nonNegativeInteger('requestLogBodyBytes'),
  ui: (v, name) => (typeof v === 'boolean' ? undefined : `${name('ui')} must be true or false, got ${show(v)}`),
  onWarning: aFunction('onWarning'),
  allowedHosts: (v, name) => thrown(() => parseAllowedHosts(v as string[] | 'all', name('allowedHosts'))),
  corsAllowedOrigins: (v, name) => thrown(() => compileCorsOrigins(v as string[], name('corsAllowedOrigins'))),
};

/**
 * Throws an EmulatorOptionsError for the first option that is unknown or has a bad value.
 * `undefined` always means "not set".
 */
export function checkOptions(options: unknown, names: OptionNames = {}): asserts options is EmulatorOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new EmulatorOptionsError('', `the options must be an object, got ${show(options)}`);
  const name = (key: keyof OptionNames) => names[key] ?? key;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (!check) throw new EmulatorOptionsError(key, `unknown option ${JSON.stringify(key)} (known: ${Object.keys(CHECKS).join(', ')})`);
    const problem = check(value, name);
    if (problem) throw new EmulatorOptionsError(key, problem);
  }
}
