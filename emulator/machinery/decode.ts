/**
 * Request body → object in the URL's version, as kube-apiserver's serializer and decoder do it:
 * JSON or YAML, the apiVersion/kind checks, unknown fields per fieldValidation, Go decoding rules
 * (via that version's codec from openapi.yaml), that version's Default(), then the shape Go's
 * encoder gives the result (omitempty). Every write (create, update, each patch type, apply,
 * status) decodes its object here, so the store only ever holds that shape. Conversion to the
 * storage version is the caller's next step (served-version.ts).
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { KindCodec } from '../openapi/validators.js';
import type { KubeObject, Profile, ResourceDefinition, VersionDefinition } from '../resources/types.js';
import { errors } from './status.js';
import type { FieldError } from './field-errors.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** A Go-flavoured rendering of a JSON syntax error (encoding/json's messages). */
export function goJsonSyntaxError(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m || Number(m[1]) >= text.trimEnd().length) return 'unexpected end of JSON input';
  const ch = text[Number(m[1])];
  return `invalid character ${JSON.stringify(ch).replace(/^"|"$/g, "'")} looking for beginning of value`;
}

/** Parses a JSON or YAML body into a plain value; 400 on malformed input. */
export function parseBody(raw: Buffer, mediaType: string, what: string): unknown {
  const text = raw.toString('utf8');
  if (mediaType === 'application/yaml' || mediaType === 'application/apply-patch+yaml') {
    try {
      const docs = parseYaml(text, { uniqueKeys: false, maxAliasCount: 100 });
      return docs;
    } catch (e) {
      const line = e instanceof YAMLParseError && e.linePos ? `line ${e.linePos[0].line}: ` : '';
      throw errors.badRequest(`error converting YAML to JSON: yaml: ${line}${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`${what}json parse error: ${goJsonSyntaxError(text, e as Error)}`);
  }
}

/** The object with its top-level fields in the order the real server writes them. */
function inFieldOrder(obj: KubeObject, order: string[]): KubeObject {
  const out: Record<string, unknown> = {};
  for (const key of order) if (key in obj) out[key] = obj[key];
  for (const key of Object.keys(obj)) if (!(key in out)) out[key] = obj[key];
  return out as KubeObject;
}

export interface DecodeResult {
  obj: KubeObject;
  warnings: string[];
  /** Profile documented: the published contract's errors for the object as sent. */
  contractErrors: FieldError[];
}

export interface Decoder {
  /** Decodes a whole object sent with POST/PUT (or produced by a patch). */
  decode(value: unknown, fieldValidation: FieldValidation): DecodeResult;
  /** The "cannot be handled as" prefix of decode errors. */
  readonly prefix: string;
}

export function makeDecoder(def: ResourceDefinition, version: VersionDefinition, codec: KindCodec, profile: Profile, goShape: (obj: Record<string, unknown>) => void): Decoder {
  const gv = `${def.group}/${version.name}`;
  const prefix = `${def.kind} in version ${JSON.stringify(version.name)} cannot be handled as a ${def.kind}: `;
  return {
    prefix,
    decode(value, fieldValidation) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        const t = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : 'number';
        throw errors.badRequest(
          `couldn't get version/kind; json parse error: json: cannot unmarshal ${t} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
        );
      }
      const obj = value as Record<string, unknown>;
      if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== gv) {
        throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
      }
      if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== def.kind) {
        throw errors.badRequest(`${prefix}no kind ${JSON.stringify(obj.kind)} is registered for version ${JSON.stringify(gv)} in scheme "pkg/runtime/scheme.go:100"`);
      }
      const { error, unknownFields } = codec.decode(obj);
      if (error) throw errors.badRequest(prefix + error);
      if (fieldValidation === 'Strict' && unknownFields.length) {
        throw errors.badRequest(`${prefix}strict decoding error: ${unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`).join(', ')}`);
      }
      obj.apiVersion = gv;
      obj.kind = def.kind;
      if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
      const kube = obj as KubeObject;
      version.applyDefaults(kube, profile);
      let contractErrors: FieldError[] = [];
      if (profile === 'documented') {
        contractErrors = codec.contract(obj);
        codec.applyDefaults(obj);
      }
      goShape(kube);
      return { obj: inFieldOrder(kube, codec.fieldOrder), warnings: fieldValidation === 'Warn' ? unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`) : [], contractErrors };
    },
  };
}
