/**
 * response_schema_conformance: the body of a JSON response against the schema openapi.yaml
 * declares for its operation, status and content type. The schemas are compiled here, with
 * Ajv, from the document itself (contracts/openapi/document.ts): never with the emulator's
 * validators, so that a mistake in the emulator's compilation cannot pass its own judge.
 *
 * What a response is held to (contracts/README.md, "What a response is held to"):
 * - Standard JSON Schema semantics (Ajv in strict mode, plus OpenAPI's `nullable`), and the
 *   formats and keyword the document defines, checked as its header defines them: `date-time`
 *   (RFC 3339), `duration` (Go duration syntax), `int32`/`int64` (integers, int32 in range),
 *   `ip` (an IPv4 or IPv6 address), `x-minimum-duration`.
 * - Profile `documented`: every keyword.
 * - Profile `apoxy`: the real server stores whatever decodes, so the promises it does not keep
 *   on input are not held against what it returns: RELAXED_UNDER_APOXY are left out, except
 *   inside `not`, `if` and `oneOf`, where that could reject what `documented` accepts. Types,
 *   properties, formats other than `ip`, `nullable`, `minimum`/`maximum` (the Go decoder's
 *   integer ranges) still hold.
 * A keyword or format the judge does not know, or an `x-minimum-duration` that is no Go duration,
 * is an error when the schemas are compiled, not a rule silently skipped or failing every value.
 */
import { isIP } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ContractDocument, Schema } from '../openapi/document.js';
import type { Profile } from '../runner/types.js';

/** Keywords a response is not held to under profile apoxy, and formats likewise. */
export const RELAXED_UNDER_APOXY = {
  keywords: ['required', 'enum', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'x-minimum-duration'],
  formats: ['ip'],
} as const;

/** Keywords of the document that only annotate (Kubernetes extensions): known, never checked. */
const ANNOTATIONS = [
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
];

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const GO_DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/** A Go duration string in seconds (time.ParseDuration's syntax), or undefined. */
export function goDurationSeconds(s: string): number | undefined {
  if (!GO_DURATION.test(s)) return undefined;
  const sign = s.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const m of s.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * GO_DURATION_UNITS[m[2]];
  return sign * total;
}

/** The formats openapi.yaml uses, as the real server's Go types read them. */
export const STRING_FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)),
  duration: (s) => GO_DURATION.test(s),
  ip: (s) => isIP(s) !== 0,
};
export const NUMBER_FORMATS: Record<string, (n: number) => boolean> = {
  int32: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  int64: (n) => Number.isInteger(n),
};

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true, validateFormats: true });
  // `components` only holds the document's schemas for $refs into it (see ajvFor).
  ajv.addVocabulary([...ANNOTATIONS, 'components']);
  for (const [name, validate] of Object.entries(STRING_FORMATS)) ajv.addFormat(name, { type: 'string', validate });
  for (const [name, validate] of Object.entries(NUMBER_FORMATS)) ajv.addFormat(name, { type: 'number', validate });
  ajv.addKeyword({
    keyword: 'x-minimum-duration',
    type: 'string',
    // A minimum that is no Go duration would fail every value: the document is wrong, say so.
    metaSchema: { type: 'string', pattern: GO_DURATION.source },
    validate: (min: string, data: string) => {
      const value = goDurationSeconds(data);
      return value === undefined || value >= goDurationSeconds(min)!; // a malformed value is the format's error
    },
  });
  return ajv;
}

const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/**
 * Where leaving a keyword out can only accept more. `not`, `if` and `oneOf` are kept as written:
 * there it could reject what the document accepts (a `not` that matches more, an `if` that picks
 * the other branch, two `oneOf` branches that both match), and apoxy is never stricter than documented.
 */
const SUBSCHEMAS = new Set(['items', 'additionalProperties', 'allOf', 'anyOf', 'then', 'else', 'contains', 'propertyNames']);

/** A copy of a schema without the relaxed keywords and formats, walking only schema positions. */
function relaxed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(relaxed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if ((RELAXED_UNDER_APOXY.keywords as readonly string[]).includes(k)) continue;
    if (k === 'format' && (RELAXED_UNDER_APOXY.formats as readonly string[]).includes(v as string)) continue;
    if (SUBSCHEMA_MAPS.has(k)) out[k] = Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, relaxed(s)]));
    else if (SUBSCHEMAS.has(k)) out[k] = relaxed(v);
    else out[k] = v;
  }
  return out;
}

/** Local references (`#/components/schemas/X`) pointed at the document registered in Ajv. */
function anchored(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchored);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi.yaml${v}` : anchored(v)]));
}

/** The document's schemas compiled once per document and profile, each response schema on first use. */
export class ResponseSchemas {
  private static cache = new WeakMap<ContractDocument, ResponseSchemas>();
  private ajv: Partial<Record<Profile, Ajv>> = {};
  private compiled = new Map<string, ValidateFunction>();
  /** Compiled functions by schema text: most responses declare the same few schemas (Status). */
  private bySchema = new Map<string, ValidateFunction>();

  /** One per document: compiled schemas are kept across runs (diff runs twice, tests many times). */
  static for(doc: ContractDocument): ResponseSchemas {
    let s = ResponseSchemas.cache.get(doc);
    if (!s) ResponseSchemas.cache.set(doc, (s = new ResponseSchemas(doc)));
    return s;
  }

  private constructor(private readonly doc: ContractDocument) {}

  private ajvFor(profile: Profile): Ajv {
    let ajv = this.ajv[profile];
    if (!ajv) {
      ajv = newAjv();
      const schemas = profile === 'apoxy' ? Object.fromEntries(Object.entries(this.doc.schemas).map(([k, v]) => [k, relaxed(v)])) : this.doc.schemas;
      ajv.addSchema({ $id: 'openapi.yaml', components: { schemas } });
      this.ajv[profile] = ajv;
    }
    return ajv;
  }

  /** The schema declared for this response: the content type as sent, its media type, or JSON. */
  declared(operationId: string, status: number, contentType: string): { schema?: Schema; problem?: string } {
    const op = this.doc.operations.find((o) => o.operationId === operationId);
    if (!op) return { problem: `operation ${operationId} is not in openapi.yaml` };
    const content = op.responses.get(status);
    if (!content) return { problem: `status ${status} is not declared for ${operationId}` };
    const mediaType = contentType.split(';')[0].trim();
    const schema = content.get(contentType) ?? content.get(mediaType) ?? content.get('application/json');
    return schema ? { schema } : { problem: `content type ${contentType} is not declared for ${operationId} ${status}` };
  }

  private compile(schema: Schema, profile: Profile): ValidateFunction {
    const own = anchored(profile === 'apoxy' ? relaxed(schema) : schema) as Schema;
    const key = `${profile}\0${JSON.stringify(own)}`;
    let fn = this.bySchema.get(key);
    if (!fn) this.bySchema.set(key, (fn = this.ajvFor(profile).compile(own)));
    return fn;
  }

  /**
   * Compiles every response schema the document declares, so that a schema the judge cannot
   * read stops the run before it starts instead of failing one scenario at a time.
   */
  prepare(profile: Profile): void {
    for (const op of this.doc.operations) {
      for (const [status, content] of op.responses) {
        for (const [ct, schema] of content) {
          const key = `${profile}\0${op.operationId}\0${status}\0${ct}`;
          if (!this.compiled.has(key)) this.compiled.set(key, this.compile(schema, profile));
        }
      }
    }
  }

  /** Problems with a body, as `<JSON pointer> <message>`; none when it conforms. */
  check(operationId: string, status: number, contentType: string, body: unknown, profile: Profile): string[] {
    const key = `${profile}\0${operationId}\0${status}\0${contentType}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      const { schema, problem } = this.declared(operationId, status, contentType);
      if (!schema) return [problem!];
      this.compiled.set(key, (fn = this.compile(schema, profile)));
    }
    if (fn(body)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  }
}
