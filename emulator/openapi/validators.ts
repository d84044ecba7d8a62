/**
 * Ajv validators compiled once from openapi.yaml.
 *
 * Two views of each kind's schema:
 * - decode: what the real server's Go decoder enforces (JSON types, Duration and Time syntax,
 *   integer ranges). A failure is a 400 "cannot be handled", in every profile.
 * - contract: the whole published contract, adding required, enum, pattern, length, item counts,
 *   minimum durations and `default:` values. Profile `documented` enforces it (422) and stores
 *   the defaults; profile `apoxy` does not, because the real server does not.
 * Which keywords belong to the contract only is decided here, once, by keyword name.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { OpenAPIV3 } from 'openapi-types';
import { fieldError, type FieldError } from '../machinery/field-errors.js';
import { canonicalGoDuration, parseGoDuration } from '../machinery/go-duration.js';
import { parseGoIP } from '../machinery/go-ip.js';
import type { ApiDocument, GroupVersionKind } from './document.js';
import type { Profile } from '../resources/types.js';
import { fillStructDefaults, goFieldContext, jsonTypeName, mapFormat, unknownFields, type Schema } from './schema-walk.js';

const Ajv = AjvModule.default ?? AjvModule;
type AjvInstance = InstanceType<typeof Ajv>;

/** Keywords of the published contract that the real server's decoder does not enforce. */
export const CONTRACT_ONLY_KEYWORDS = ['required', 'enum', 'pattern', 'maxLength', 'minLength', 'maxItems', 'minItems', 'default', 'x-minimum-duration'] as const;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function newAjv(opts: { useDefaults: boolean; contractFormats: boolean }): AjvInstance {
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: opts.useDefaults, verbose: true, validateFormats: true });
  ajv.addFormat('duration', { type: 'string', validate: (s: string) => { try { parseGoDuration(s); return true; } catch { return false; } } });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => RFC3339.test(s) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('byte', true);
  // The resource's own validate() checks IPs with the real server's message; the format documents it.
  ajv.addFormat('ip', opts.contractFormats ? { type: 'string', validate: parseGoIP } : true);
  ajv.addKeyword({
    keyword: 'x-minimum-duration',
    type: 'string',
    schemaType: 'string',
    errors: true,
    validate: function minDuration(min: string, data: string) {
      try {
        return parseGoDuration(data) >= parseGoDuration(min);
      } catch {
        return true; // a malformed Duration is the format's error, reported once
      }
    },
  });
  return ajv;
}

/**
 * A deep copy of a schema without the contract-only keywords, touching only schema positions: the
 * decode view, what the real server (and profile apoxy) guarantees. Only positions where leaving a
 * keyword out can only accept more are stripped: a `not` or a `oneOf` is kept as written, since
 * there it would reject more (a `not` that matches more, two `oneOf` branches that both match),
 * as the contract suite's own judge does (contracts/checks/response-schema.ts).
 */
export function stripContract(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripContract);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if ((CONTRACT_ONLY_KEYWORDS as readonly string[]).includes(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, stripContract(s)]));
    else if (['items', 'additionalProperties', 'allOf', 'anyOf'].includes(k)) out[k] = stripContract(v);
    else out[k] = v;
  }
  return out;
}

function withSchemas(ajv: AjvInstance, schemas: Record<string, unknown>): AjvInstance {
  ajv.addSchema({ $id: 'openapi', components: { schemas } });
  return ajv;
}

const ref = (key: string) => ({ $ref: `openapi#/components/schemas/${key}` });

/** A kind's validator in one Ajv view, compiled the first time it is asked for. */
function compiledOnUse(ajv: AjvInstance, schemaKey: string): () => ValidateFunction {
  let fn: ValidateFunction | undefined;
  return () => (fn ??= ajv.compile(ref(schemaKey)));
}

/** `/spec/endpoints/0/fqdn` → `spec.endpoints[0].fqdn` (Kubernetes field path). */
export function fieldPath(instancePath: string, extra?: string): string {
  const segs = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segs.push(extra);
  return segs.reduce((p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : p ? `${p}.${s}` : s), '');
}

function contractError(e: ErrorObject): FieldError | undefined {
  const path = fieldPath(e.instancePath);
  switch (e.keyword) {
    case 'required':
      return fieldError.required(fieldPath(e.instancePath, (e.params as { missingProperty: string }).missingProperty), '');
    case 'enum':
      return fieldError.notSupported(path, e.data, ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String));
    case 'pattern':
      return fieldError.invalid(path, e.data, `should match '${(e.params as { pattern: string }).pattern}'`);
    case 'maxLength':
      return { type: 'FieldValueTooLong', field: path, detail: `may not be more than ${(e.params as { limit: number }).limit} bytes`, hasValue: false };
    case 'minLength':
      return fieldError.invalid(path, e.data, `should be at least ${(e.params as { limit: number }).limit} chars long`);
    case 'maxItems':
      return { type: 'FieldValueTooMany', field: path, detail: `must have at most ${(e.params as { limit: number }).limit} items`, value: (e.data as unknown[]).length, hasValue: true };
    case 'minItems':
      return fieldError.invalid(path, e.data, `should have at least ${(e.params as { limit: number }).limit} items`);
    case 'x-minimum-duration':
      return fieldError.invalid(path, e.data, `must be at least ${e.schema as string}`);
    case 'format':
      return fieldError.invalid(path, e.data, `must be a valid ${(e.params as { format: string }).format}`);
    case 'minimum':
    case 'maximum':
      return fieldError.invalid(path, e.data, `should be ${e.message?.replace(/^must be /, '')}`);
    default:
      return undefined; // type errors are the decoder's, reported as 400 before this runs
  }
}

export interface KindCodec {
  gvk: GroupVersionKind;
  schemaKey: string;
  /** The kind's top-level properties in the order the Go type writes them: TypeMeta first. */
  fieldOrder: string[];
  /**
   * What the Go decoder does: drops (and reports) unknown fields, checks JSON types and
   * formats, and re-serializes Durations canonically. Returns the decode error text or the
   * unknown fields found.
   */
  decode(obj: Record<string, unknown>): { error?: string; unknownFields: string[] };
  /** What decode() would report for a value, leaving it as it is (a stored object, frozen). */
  check(obj: Record<string, unknown>): { error?: string; unknownFields: string[] };
  /** Profile documented: the contract's field errors for the object as the client sent it. */
  contract(obj: Record<string, unknown>): FieldError[];
  /** Profile documented: fills in the schema's `default:` values, in place. */
  applyDefaults(obj: Record<string, unknown>): void;
}

export interface Validators {
  codec(gvk: GroupVersionKind): KindCodec;
  /** Validates a response body against what the document declares for it; returns problems. */
  checkResponse(operationId: string, status: number, contentType: string, body: unknown, profile: Profile): string[];
}

export function compileValidators(doc: ApiDocument): Validators {
  const schemas = doc.schemas as Record<string, OpenAPIV3.SchemaObject>;
  const decodeAjv = withSchemas(
    newAjv({ useDefaults: false, contractFormats: false }),
    Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, stripContract(s)])),
  );
  const contractAjv = withSchemas(newAjv({ useDefaults: false, contractFormats: false }), schemas);
  const defaultsAjv = withSchemas(newAjv({ useDefaults: true, contractFormats: false }), schemas);
  const responseAjv: Partial<Record<Profile, AjvInstance>> = {};
  const codecs = new Map<string, KindCodec>();
  const responseChecks = new Map<string, ValidateFunction>();

  function makeCodec(gvk: GroupVersionKind): KindCodec {
    const schemaKey = doc.schemaKeyForKind(gvk);
    // The decode view is compiled now (every request body meets it); the contract views only
    // when first used, which profile apoxy never does: start-up does not pay for them.
    const decodeFn = compiledOnUse(decodeAjv, schemaKey);
    decodeFn();
    const contractFn = compiledOnUse(contractAjv, schemaKey);
    const defaultsFn = compiledOnUse(defaultsAjv, schemaKey);
    const root = { $ref: `#/components/schemas/${schemaKey}` };
    /** The decoder's verdict on a value: unknown fields (deleted with `prune`) and the first type error. */
    const inspect = (obj: Record<string, unknown>, prune: boolean): { error?: string; unknownFields: string[] } => {
      const found = unknownFields(schemas, root, obj, prune);
      const decode = decodeFn();
      if (decode(obj)) return { unknownFields: found };
      return { error: goDecodeMessage(schemas, schemaKey, firstDecodeError(decode.errors ?? [])), unknownFields: found };
    };
    return {
      gvk,
      schemaKey,
      fieldOrder: goFieldOrder(Object.keys((schemas[schemaKey] as Schema).properties ?? {})),
      decode(obj) {
        const result = inspect(obj, true);
        if (!result.error) mapFormat(schemas, root, obj, 'duration', canonicalGoDuration);
        return result;
      },
      check: (obj) => inspect(obj, false),
      contract(obj) {
        // Non-pointer structs (`default: {}` in the schema) exist once decoded, so the rules
        // inside them apply even when the client left them out.
        const view = structuredClone(obj);
        fillStructDefaults(schemas, root, view);
        const contract = contractFn();
        if (contract(view)) return [];
        return (contract.errors ?? []).map(contractError).filter((e): e is FieldError => !!e);
      },
      applyDefaults(obj) {
        defaultsFn()(obj); // assigns defaults; its verdict is contract()'s business
      },
    };
  }

  return {
    codec(gvk) {
      const k = `${gvk.group}/${gvk.version}/${gvk.kind}`;
      let c = codecs.get(k);
      if (!c) codecs.set(k, (c = makeCodec(gvk)));
      return c;
    },
    checkResponse(operationId, status, contentType, body, profile) {
      const op = doc.operations.find((o) => o.operationId === operationId);
      if (!op) return [`operation ${operationId} is not in openapi.yaml`];
      const content = op.responses.get(status);
      if (!content) return [`status ${status} is not declared for ${operationId}`];
      const mediaType = contentType.split(';')[0].trim();
      const declared = content.has(contentType) ? contentType : content.has(mediaType) ? mediaType : 'application/json';
      const schema = content.get(declared);
      if (!schema) return [`content type ${contentType} is not declared for ${operationId} ${status}`];
      const key = `${profile} ${operationId} ${status} ${declared}`;
      let fn = responseChecks.get(key);
      if (!fn) {
        // Under profile apoxy, responses are held to what the real server guarantees: the decode view.
        const ajv = (responseAjv[profile] ??= withSchemas(
          newAjv({ useDefaults: false, contractFormats: false }),
          profile === 'documented' ? schemas : Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, stripContract(s)])),
        ));
        fn = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi#/components/schemas/')));
        responseChecks.set(key, fn);
      }
      if (fn(body)) return [];
      return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
    },
  };
}

/**
 * Go writes an object's embedded TypeMeta (kind, then apiVersion) and ObjectMeta first, then its
 * own fields; the schema lists properties alphabetically.
 */
function goFieldOrder(properties: string[]): string[] {
  const head = ['kind', 'apiVersion', 'metadata'].filter((p) => properties.includes(p));
  return [...head, ...properties.filter((p) => !head.includes(p))];
}

/** The error encoding/json would hit first: the shallowest one in document order. */
function firstDecodeError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === 'type') ?? errors[0];
}

function goDecodeMessage(schemas: Record<string, OpenAPIV3.SchemaObject>, rootKey: string, e: ErrorObject): string {
  const segments = e.instancePath.split('/').slice(1);
  if (e.keyword === 'format' && (e.params as { format: string }).format === 'duration') {
    try {
      parseGoDuration(String(e.data));
    } catch (err) {
      return (err as Error).message;
    }
  }
  if (e.keyword === 'format' && (e.params as { format: string }).format === 'date-time') {
    return `parsing time ${JSON.stringify(e.data)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(e.data)} as "2006"`;
  }
  const { struct, goType } = goFieldContext(schemas, rootKey, segments);
  const field = segments.filter((s) => !/^\d+$/.test(s)).join('.');
  const value = e.keyword === 'type' ? jsonTypeName(e.data) : `number ${String(e.data)}`;
  const where = field ? `Go struct field ${struct}.${field}` : `Go value`;
  return `json: cannot unmarshal ${value} into ${where} of type ${goType}`;
}

export type { Schema };
