/**
 * /openapi/v2 as kube-apiserver serves it (kube-openapi pkg/handler): the Swagger 2.0 document
 * of every path in openapi.yaml, as JSON or as gnostic protobuf by the Accept header (the first
 * acceptable clause by q; 406 when none is), with the JSON's ETag on both and 304 for
 * If-None-Match. kubectl 1.20-1.28 ask for the protobuf under its old name (`...spec.v2@v1.0+protobuf`)
 * and get it labelled with the new one, which Go's mime parser accepts, for client-side
 * validation, `explain` and `diff`.
 *
 * Both forms are built on the first request and kept: start-up does not pay for protobuf (the
 * encoder and protobufjs are imported then).
 */
import { createHash } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { ApiDocument } from '../openapi/document.js';
import { swaggerV2 } from '../openapi/swagger-v2.js';
import { parseAccept } from './negotiation.js';

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The name kubectl 1.20-1.28 ask for; answered with OPENAPI_V2_PROTOBUF. */
export const OPENAPI_V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

interface Representation {
  /** What the Accept header names. */
  accepts: string;
  contentType: string;
  body: Buffer;
  etag: string;
  lastModified: string;
}

/** Upper-case hex sha512, quoted: kube-openapi's computeETag. */
const etagOf = (b: Buffer) => `"${createHash('sha512').update(b).digest('hex').toUpperCase()}"`;

const built = new WeakMap<ApiDocument, Promise<Representation[]>>();

function representations(doc: ApiDocument): Promise<Representation[]> {
  let reps = built.get(doc);
  if (!reps) built.set(doc, (reps = build(doc)));
  return reps;
}

/** JSON first: it is what `*\/*` and `application/*` get. */
async function build(doc: ApiDocument): Promise<Representation[]> {
  const { encodeSwaggerV2 } = await import('../openapi/swagger-v2-proto.js');
  const swagger = swaggerV2(doc);
  const json = Buffer.from(JSON.stringify(swagger));
  const pb = Buffer.from(encodeSwaggerV2(swagger));
  // kube-openapi's etagCache hashes the JSON, whichever form is served.
  const etag = etagOf(json);
  const lastModified = new Date().toUTCString();
  return [
    { accepts: 'application/json', contentType: 'application/json', body: json, etag, lastModified },
    { accepts: OPENAPI_V2_PROTOBUF_DEPRECATED, contentType: OPENAPI_V2_PROTOBUF, body: pb, etag, lastModified },
    { accepts: OPENAPI_V2_PROTOBUF, contentType: OPENAPI_V2_PROTOBUF, body: pb, etag, lastModified },
  ];
}

function matches(range: string, contentType: string): boolean {
  const [type, sub] = range.split('/');
  const [wantType, wantSub] = contentType.split('/');
  return (type === '*' || type === wantType) && (sub === '*' || sub === wantSub);
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

export function openapiV2Routes(app: Express, ctx: EmulatorContext): void {
  app.get('/openapi/v2', async (req: Request, res: Response) => {
    res.setHeader('Vary', 'Accept');
    const reps = await representations(ctx.doc);
    const ranges = parseAccept(req.get('accept') || '*/*')
      .map((r, i) => ({ ...r, i }))
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const r of ranges) {
      const rep = reps.find((x) => matches(r.type, x.accepts));
      if (!rep) continue;
      res.setHeader('Content-Type', rep.contentType);
      res.setHeader('ETag', rep.etag);
      res.setHeader('Last-Modified', rep.lastModified);
      if (ifNoneMatch(req.get('if-none-match'), rep.etag)) {
        res.status(304).end();
        return;
      }
      res.status(200).end(rep.body);
      return;
    }
    res.status(406).end();
  });
}
