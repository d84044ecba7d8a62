/**
 * Query options (CreateOptions, ListOptions, ...) read from the operation's parameters in
 * openapi.yaml: types and enums come from the document; how upstream words an unsupported
 * value (which values it lists) is Kubernetes knowledge kept here.
 */
import type { Operation, KubeAction } from '../openapi/document.js';
import { fieldError, type FieldError } from './field-errors.js';
import { errors } from './status.js';

export type QueryOptions = Record<string, string | number | boolean | undefined>;

const OPTIONS_KIND: Record<KubeAction, string> = {
  post: 'CreateOptions',
  put: 'UpdateOptions',
  patch: 'PatchOptions',
  delete: 'DeleteOptions',
  deletecollection: 'DeleteOptions',
  list: 'ListOptions',
  get: 'GetOptions',
};

/** The values upstream lists after "supported values:", where they differ from the enum. */
const SUPPORTED_VALUES: Record<string, (e: string[]) => string[]> = {
  fieldValidation: (e) => [...new Set(['', ...e])].sort(),
  propagationPolicy: (e) => [...e, 'nil'],
};

/** The spellings Go's strconv.ParseBool reads as true and as false. */
export const GO_TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const GO_FALSE: ReadonlySet<string> = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Go's strconv.ParseBool. */
function parseBool(v: string): boolean {
  if (GO_TRUE.has(v)) return true;
  if (GO_FALSE.has(v)) return false;
  throw errors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function parseInt64(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

/** 422 on an options object, as the handlers wrap ValidateXOptions errors. */
export function invalidOptions(action: KubeAction, errs: FieldError[]) {
  return errors.invalid({ group: 'meta.k8s.io', kind: OPTIONS_KIND[action] }, '', errs);
}

/**
 * The option's value against the enum openapi.yaml declares for the parameter of that name
 * (also for options sent in a body, such as DeleteOptions); the error upstream gives otherwise.
 */
export function checkEnumOption(op: Operation, name: string, value: unknown): FieldError | undefined {
  const enumValues = op.query.get(name)?.schema.enum as string[] | undefined;
  if (!enumValues || enumValues.includes(value as string)) return undefined;
  const supported = (SUPPORTED_VALUES[name] ?? ((e) => e))(enumValues);
  // dryRun is a list in Go, so its value renders as a JSON array.
  return fieldError.notSupported(name, name === 'dryRun' ? [value] : value, supported);
}

/**
 * Reads the declared query parameters; unknown ones are ignored, as the real server does.
 * A repeated parameter takes its first value.
 */
export function parseQuery(op: Operation, query: Record<string, unknown>): QueryOptions {
  const out: QueryOptions = {};
  const errs: FieldError[] = [];
  for (const [name, param] of op.query) {
    let raw = query[name];
    if (Array.isArray(raw)) raw = raw[0];
    if (raw === undefined || typeof raw !== 'string') continue;
    const schema = param.schema;
    if (schema.type === 'boolean') out[name] = raw === '' ? undefined : parseBool(raw);
    // An empty integer is strconv.ParseInt(""): a 400, as runtime.Convert_Slice_string_To_int64 answers.
    else if (schema.type === 'integer') out[name] = parseInt64(raw);
    // An empty value is "unset" where the enum allows "" (fieldValidation, resourceVersionMatch);
    // elsewhere it is checked like any other (dryRun= and propagationPolicy= are 422 upstream).
    else out[name] = raw === '' && (schema.enum as unknown[] | undefined)?.includes('') ? undefined : raw;
    const unsupported = checkEnumOption(op, name, raw);
    if (unsupported) errs.push(unsupported);
    if (typeof schema.maxLength === 'number' && raw.length > schema.maxLength) {
      errs.push(fieldError.invalid(name, raw, `must be less than ${schema.maxLength} characters`));
    }
  }
  if (errs.length) throw invalidOptions(op.action, errs);
  return out;
}
