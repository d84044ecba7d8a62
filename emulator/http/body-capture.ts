/**
 * The bodies the request log keeps: the first N bytes of each request and response body (N is
 * `requestLogBodyBytes`, 16 KiB by default), with the full size counted.
 *
 * While a request runs, only references to what the app writes are taken (a tap on write() and
 * end()). When it is over, the kept bytes are copied into one circular byte buffer (the arena,
 * at most 8 MiB): the log's entries hold two numbers per body instead of strings and buffers, so
 * keeping a thousand bodies gives the garbage collector nothing to trace. Retaining the bodies
 * themselves cost a fifth more CPU per GET, measured, all of it in the collector. A body the
 * arena has written over since is reported as evicted. No header is kept here: secrets
 * (Authorization, X-Apoxy-API-Key) never reach the log.
 */
import type { ServerResponse } from 'node:http';
import type { LoggedBody } from './request-record.js';

/**
 * What is used of Express's request and response, described here rather than imported: the
 * request log's types are part of the package's public types, which need no @types/express.
 */
type Request = { body?: unknown; get(name: string): string | undefined };
type Response = ServerResponse & { locals: Record<string, unknown> };

type Chunk = Buffer | string;

/** The most the arena holds, whatever the log's size and bound say. */
export const MAX_ARENA_BYTES = 8 * 1024 * 1024;

/**
 * One circular byte buffer. Positions are absolute (they only grow); a body stored at `at` is
 * intact while no more than `size` bytes have been stored since it began.
 */
export class BodyArena {
  private buf: Buffer | undefined;
  private head = 0;
  private written = 0;

  constructor(readonly size: number) {}

  /**
   * Copies at most `limit` bytes of the chunks in, in one piece; `bytes` is what the chunks hold,
   * when known. Returns its absolute position and length.
   */
  store(chunks: readonly Chunk[], limit: number, bytes?: number): [at: number, length: number] {
    const buf = (this.buf ??= Buffer.allocUnsafe(this.size)); // allocated with the first body, not at start-up
    let want = bytes ?? 0;
    if (bytes === undefined) {
      for (const c of chunks) {
        want += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
        if (want >= limit) break;
      }
    }
    want = Math.min(want, limit, this.size);
    if (this.head + want > this.size) {
      this.written += this.size - this.head; // the tail too short for this body is skipped
      this.head = 0;
    }
    const start = this.head;
    let n = 0;
    for (const c of chunks) {
      if (n >= want) break;
      n += typeof c === 'string' ? buf.write(c, start + n, want - n, 'utf8') : c.copy(buf, start + n, 0, Math.min(c.length, want - n));
    }
    const at = this.written;
    this.head += n;
    this.written += n;
    return [at, n];
  }

  /** A copy of what was stored at `at`, or undefined when newer bodies have overwritten it. */
  read(at: number, length: number): Buffer | undefined {
    if (!this.buf || this.written - at > this.size) return undefined;
    const from = at % this.size;
    return Buffer.from(this.buf.subarray(from, from + length));
  }
}

/** A body while its request runs: references to the first chunks written, and the count of all. */
class BodyTap {
  readonly chunks: Chunk[] = [];
  /** Bytes in `chunks`. */
  kept = 0;
  /** Bytes written, kept or not. */
  bytes = 0;
  /** A Content-Type given to writeHead() directly, which getHeader() does not see. */
  contentType: string | undefined;

  constructor(private readonly limit: number) {}

  add(chunk: unknown, encoding?: unknown): void {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    let c: Chunk;
    if (typeof chunk === 'string') c = typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8' ? Buffer.from(chunk, encoding as BufferEncoding) : chunk;
    else if (chunk instanceof Uint8Array) c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else return;
    const size = typeof c === 'string' ? Buffer.byteLength(c) : c.length;
    this.bytes += size;
    if (this.kept < this.limit) {
      this.chunks.push(c);
      this.kept += size;
    }
  }
}

/** Where one body is in the arena, with what the log says of it. Plain numbers and shared strings. */
export interface KeptBody {
  at: number;
  length: number;
  bytes: number;
  contentType: string | undefined;
}

/** Control characters that text (JSON, YAML) does not hold, and binary encodings (protobuf) do. */
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The text, or undefined when the bytes are not UTF-8 text (a cut in the middle of a character is forgiven). */
function utf8(buf: Buffer, truncated: boolean): string | undefined {
  for (let cut = 0; cut <= (truncated ? 3 : 0) && cut <= buf.length; cut++) {
    let text: string;
    try {
      text = decoder.decode(buf.subarray(0, buf.length - cut));
    } catch {
      continue; // try without the last bytes of a cut character
    }
    return BINARY.test(text) ? undefined : text;
  }
  return undefined;
}

export function loggedBody(arena: BodyArena, kept: KeptBody): LoggedBody {
  const out: LoggedBody = { bytes: kept.bytes };
  if (kept.contentType) out.contentType = kept.contentType;
  if (kept.bytes > kept.length) out.truncated = true;
  const buf = arena.read(kept.at, kept.length);
  if (!buf) {
    out.evicted = true;
    return out;
  }
  const text = utf8(buf, !!out.truncated);
  if (text !== undefined) out.text = text;
  else out.base64 = buf.toString('base64');
  return out;
}

/** Header values that repeat (content types, user agents) kept as one string each, a bounded few; the last one seen first. */
export class Interned {
  private seen = new Map<string, string>();
  private last: string | undefined;

  constructor(private readonly max = 64) {}

  get(value: string | undefined): string | undefined {
    if (value === undefined || value === this.last) return value === undefined ? undefined : this.last;
    let known = this.seen.get(value);
    if (known === undefined) {
      if (this.seen.size >= this.max) return value;
      this.seen.set(value, value);
      known = value;
    }
    this.last = known;
    return known;
  }
}

/** `res.locals` key of the response body being tapped. */
const RESPONSE_TAP = 'requestLogResponseTap';
const TAPPED = Symbol('tapped');

type Writer = (this: Response, ...args: unknown[]) => unknown;

/** The Content-Type among writeHead()'s headers: an object, flat [name, value, ...] pairs, or [[name, value]]. */
function contentTypeIn(headers: unknown): string | undefined {
  if (Array.isArray(headers)) {
    const flat = Array.isArray(headers[0]) ? (headers as unknown[][]).flat() : headers;
    for (let i = 0; i + 1 < flat.length; i += 2) if (String(flat[i]).toLowerCase() === 'content-type') return String(flat[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'content-type') return String(v);
  }
  return undefined;
}

/**
 * write(), end() and writeHead() of the app's response prototype (Express gives each response the app's
 * `app.response`), replaced once so that they feed the tap a response carries, if any; methods
 * set on each response would cost every request a closure pair and a new object shape.
 */
function tapPrototype(res: Response): void {
  const proto = Object.getPrototypeOf(res) as Record<string | symbol, unknown>;
  if (proto[TAPPED]) return;
  const write = proto.write as Writer;
  const end = proto.end as Writer;
  const writeHead = proto.writeHead as Writer;
  proto.writeHead = function (this: Response, status: unknown, reason?: unknown, headers?: unknown) {
    const tap = this.locals?.[RESPONSE_TAP] as BodyTap | undefined;
    if (tap) tap.contentType = contentTypeIn(typeof reason === 'string' ? headers : reason);
    // eslint-disable-next-line prefer-rest-params
    return writeHead.apply(this, arguments as unknown as unknown[]);
  };
  proto.write = function (this: Response, chunk: unknown, encoding?: unknown) {
    (this.locals[RESPONSE_TAP] as BodyTap | undefined)?.add(chunk, encoding);
    // eslint-disable-next-line prefer-rest-params
    return write.apply(this, arguments as unknown as unknown[]);
  };
  proto.end = function (this: Response, chunk?: unknown, encoding?: unknown) {
    (this.locals[RESPONSE_TAP] as BodyTap | undefined)?.add(chunk, encoding);
    // eslint-disable-next-line prefer-rest-params
    return end.apply(this, arguments as unknown as unknown[]);
  };
  Object.defineProperty(proto, TAPPED, { value: true });
}

/** Starts taking the response body as it is written. */
export function tapResponse(res: Response, limit: number): void {
  tapPrototype(res);
  res.locals[RESPONSE_TAP] = new BodyTap(limit);
}

/**
 * Once the response is over: both bodies into the arena (the request's from req.body, where a
 * route read one), or undefined for a body that was not there.
 */
export function keepBodies(req: Request, res: Response, arena: BodyArena, limit: number, types: Interned): [request: KeptBody | undefined, response: KeptBody | undefined] {
  let request: KeptBody | undefined;
  const body: unknown = req.body;
  if (Buffer.isBuffer(body) && body.length) {
    const [at, length] = arena.store([body], limit, body.length);
    request = { at, length, bytes: body.length, contentType: types.get(req.get('content-type')) };
  }
  let response: KeptBody | undefined;
  const tap = res.locals[RESPONSE_TAP] as BodyTap | undefined;
  if (tap?.bytes) {
    const [at, length] = arena.store(tap.chunks, limit, tap.kept);
    const type = res.getHeader('content-type') ?? tap.contentType;
    response = { at, length, bytes: tap.bytes, contentType: types.get(typeof type === 'string' ? type : undefined) };
  }
  return [request, response];
}
