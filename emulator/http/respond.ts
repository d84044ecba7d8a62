/** Writing API bodies: JSON (with the newline the Go encoder ends with) or YAML, and Status errors. */
import type { Response } from 'express';
import { stringify as toYaml } from 'yaml';
import { errors, isStatusError, type StatusError } from '../machinery/status.js';
import { MAX_BODY_BYTES } from '../shared-names.js';
import type { Negotiated } from './negotiation.js';
import { warningHeaders } from './warning-header.js';

/**
 * Compact JSON of frozen objects already sent once. Stored objects are frozen (every write stores
 * a new one: store/memory-state.ts deepFreeze), so a GET of an unchanged object, or a list
 * holding it, reuses its JSON instead of encoding it again; entries go away with the objects.
 * Anything not frozen (a Status, a dry-run answer) may still change, so it is encoded each time.
 */
const encoded = new WeakMap<object, string>();
/** The same with the newline, as a GET of the object sends it. */
const encodedBody = new WeakMap<object, string>();

function compactJson(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = encoded.get(value);
  if (text === undefined) encoded.set(value, (text = JSON.stringify(value)));
  return text;
}

function compactBody(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value) + '\n';
  let text = encodedBody.get(value);
  if (text === undefined) encodedBody.set(value, (text = compactJson(value) + '\n'));
  return text;
}

/** A list is its envelope plus its items, each item's JSON reused. */
function listJson(body: { items: object[] }): string {
  const { items, ...envelope } = body;
  const head = JSON.stringify(envelope);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"items":[${items.map(compactJson).join(',')}]}`;
}

export function serialize(body: unknown, format: 'json' | 'yaml', pretty: boolean): string {
  if (format === 'yaml') return toYaml(body, { aliasDuplicateObjects: false });
  if (pretty) return JSON.stringify(body, null, 2) + '\n';
  if (typeof body !== 'object' || body === null) return JSON.stringify(body) + '\n';
  const items = (body as { items?: unknown }).items;
  if (Array.isArray(items) && items.every((i) => typeof i === 'object' && i !== null)) return listJson(body as { items: object[] }) + '\n';
  return compactBody(body);
}

export function send(res: Response, status: number, body: unknown, neg: Negotiated, pretty: boolean, warnings: string[] = []): void {
  const text = serialize(body, neg.format, pretty);
  // Raw header pairs: writeHead takes them as they are, without building a header map first.
  // Content-Length is given here because headers written before end() cannot learn it there.
  const headers: (string | number | string[])[] = [
    'Content-Type', neg.format === 'yaml' ? 'application/yaml' : 'application/json',
    'Cache-Control', 'no-cache, private',
    'Content-Length', Buffer.byteLength(text),
  ];
  const warningValues = warnings.length ? warningHeaders(warnings) : [];
  if (warningValues.length) headers.push('Warning', warningValues);
  res.writeHead(status, headers as string[]);
  // Node writes the headers in the encoding of a string body (UTF-8), which would encode the
  // Warning's UTF-8 bytes a second time; with a Buffer body they go out as latin1, byte for byte.
  res.end(warningValues.some((v) => /[\x80-\xff]/.test(v)) ? Buffer.from(text) : text);
}

/** Every failure leaves as a Status; anything unexpected is a 500 without a stack trace. */
export function toStatusError(e: unknown): StatusError {
  if (isStatusError(e)) return e;
  // A body nested deeper than our recursive walkers can follow (Go's decoder stops at depth
  // 10,000 with "exceeded max depth"): the client's input, so a 400, not a 500.
  if (e instanceof RangeError && /call stack/i.test(e.message)) return errors.badRequest('json: exceeded max depth');
  const err = e as { status?: number; type?: string; message?: string; limit?: number };
  if (err?.type === 'entity.too.large' || err?.status === 413) return errors.requestEntityTooLarge(`limit is ${err.limit ?? MAX_BODY_BYTES}`);
  if (err?.status === 400 || err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') return errors.badRequest(err.message ?? 'bad request');
  if (err?.status === 415) return errors.unsupportedMediaType(['application/json', 'application/yaml']);
  return errors.internal(`an error on the server ("${(err?.message ?? 'unknown').replace(/"/g, "'")}") has prevented the request from succeeding`);
}

export function sendError(res: Response, e: unknown, neg: Negotiated = { format: 'json' }, pretty = false): void {
  const se = toStatusError(e);
  for (const [k, v] of Object.entries(se.headers)) res.setHeader(k, v);
  send(res, se.code, se.status, { format: neg.format }, pretty);
}
