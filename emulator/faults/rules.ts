/**
 * Fault rules: what a test harness writes (in a `--faults` file or through `/_emulator/faults`)
 * to make the emulator misbehave on purpose. Checked against a JSON Schema once, at load.
 *
 *   seed: 7                       # optional; the run's --random-seed (or 0) otherwise
 *   rules:
 *     - id: throttle-creates      # optional; rule-<n> otherwise
 *       match: { operation: create, name: web, labelSelector: tier=edge }
 *       probability: 0.5          # and/or everyNth: 3, times: 2 ("the next 2 matching requests")
 *       error: { code: 429, retryAfterSeconds: 2 }
 *       latency: { fixed: 100ms, jitter: 50ms }
 *       watch: { cutAfterEvents: 3 }
 */
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { parseLabelSelector, type LabelSelector } from '../machinery/label-selector.js';
import { StatusError } from '../machinery/status.js';
import { durationMs } from '../simulate/clock.js';

/** Kubernetes verbs (kube-apiserver's RequestInfo.Verb), matched besides operationIds. */
export const VERBS = ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete', 'deletecollection'] as const;
export type Verb = (typeof VERBS)[number];
export const FAULT_CODES = [409, 429, 500, 503, 504] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

export interface FaultRuleSpec {
  id?: string;
  match?: { operation?: string | string[]; name?: string; labelSelector?: string };
  probability?: number;
  everyNth?: number;
  times?: number;
  error?: { code: FaultCode; message?: string; retryAfterSeconds?: number };
  latency?: { fixed?: string; jitter?: string };
  watch?: { cutAfterEvents: number };
}

export interface FaultConfig {
  seed?: number | string;
  rules: FaultRuleSpec[];
}

/** A rule checked and compiled: selectors parsed, durations in ms. */
export interface CompiledRule {
  id: string;
  spec: FaultRuleSpec;
  operations?: Set<string>;
  name?: string;
  selector?: LabelSelector;
  latencyMs: number;
  jitterMs: number;
}

const duration = { type: 'string', minLength: 1 };
const ruleSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    match: {
      type: 'object',
      additionalProperties: false,
      properties: {
        operation: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] },
        name: { type: 'string', minLength: 1 },
        labelSelector: { type: 'string' },
      },
    },
    probability: { type: 'number', minimum: 0, maximum: 1 },
    everyNth: { type: 'integer', minimum: 1 },
    times: { type: 'integer', minimum: 1 },
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code'],
      properties: {
        code: { enum: [...FAULT_CODES] },
        message: { type: 'string' },
        retryAfterSeconds: { type: 'integer', minimum: 0 },
      },
    },
    latency: { type: 'object', additionalProperties: false, properties: { fixed: duration, jitter: duration } },
    watch: { type: 'object', additionalProperties: false, required: ['cutAfterEvents'], properties: { cutAfterEvents: { type: 'integer', minimum: 1 } } },
  },
};
const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: { seed: { anyOf: [{ type: 'integer' }, { type: 'string' }] }, rules: { type: 'array', items: ruleSchema } },
};

const validateConfig = new Ajv({ allErrors: false }).compile<FaultConfig>(configSchema);

/**
 * Rules that do not make sense. A 400 BadRequest Status when they came through the admin API;
 * the CLI prints the message.
 */
export class FaultConfigError extends StatusError {
  constructor(message: string) {
    super(400, 'BadRequest', message);
  }
}

/** Accepts `{seed?, rules: [...]}`, a bare array of rules, or one rule. */
export function normalizeConfig(value: unknown): FaultConfig {
  let v = value;
  if (Array.isArray(v)) v = { rules: v };
  else if (v && typeof v === 'object' && !('rules' in v)) v = { rules: [v] };
  if (!validateConfig(v)) {
    const e = validateConfig.errors![0];
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'faults';
    throw new FaultConfigError(`invalid fault rules: ${where}: ${e.message}`);
  }
  v.rules.forEach((r, i) => {
    if (!r.error && !r.latency && !r.watch) throw new FaultConfigError(`invalid fault rules: rules.${i}: a rule needs an effect: error, latency or watch`);
  });
  return v;
}

/** Reads a `--faults` file's text (YAML or JSON). */
export function parseFaultText(text: string): FaultConfig {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new FaultConfigError(`invalid fault rules: ${(e as Error).message}`);
  }
  return normalizeConfig(value);
}

export function compileRule(spec: FaultRuleSpec, id: string): CompiledRule {
  const ops = spec.match?.operation;
  let selector: LabelSelector | undefined;
  if (spec.match?.labelSelector !== undefined) {
    try {
      selector = parseLabelSelector(spec.match.labelSelector);
    } catch (e) {
      throw new FaultConfigError(`invalid fault rules: ${id}: labelSelector: ${(e as Error).message}`);
    }
  }
  const ms = (field: string, v: string | undefined) => {
    if (v === undefined) return 0;
    try {
      return durationMs(v);
    } catch (e) {
      throw new FaultConfigError(`invalid fault rules: ${id}: latency.${field}: ${(e as Error).message}`);
    }
  };
  return {
    id,
    spec,
    operations: ops === undefined ? undefined : new Set(Array.isArray(ops) ? ops : [ops]),
    name: spec.match?.name,
    selector,
    latencyMs: ms('fixed', spec.latency?.fixed),
    jitterMs: ms('jitter', spec.latency?.jitter),
  };
}
