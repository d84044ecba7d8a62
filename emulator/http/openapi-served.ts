/**
 * OpenAPI v3 as kube-apiserver serves it (kube-openapi pkg/handler3): `/openapi/v3` lists one
 * document per group/version with a content-hash URL, and each group/version document is the
 * part of openapi.yaml under that prefix (its paths plus the components they reach, so each
 * version's document carries its own schemas only). kubectl reads it for
 * `create`/`apply` (server-side field validation is on when the PATCH operation names a
 * `fieldValidation` parameter) and for `explain` (schemas with x-kubernetes-group-version-kind).
 *
 * `/openapi/v2` (Swagger 2.0, JSON and gnostic protobuf) is openapi-v2-served.ts.
 *
 * The documents, their hashes and ETags are computed once at start-up.
 */
import { createHash } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { ApiDocument } from '../openapi/document.js';
import { componentsReachedBy } from '../openapi/subset.js';

interface GroupVersionDocument {
  /** `apis/<group>/<version>`, the key in /openapi/v3. */
  key: string;
  body: string;
  /** Upper-case hex sha512 of the body, as kube-openapi's computeETag. */
  hash: string;
}

function sha512Hex(s: string): string {
  return createHash('sha512').update(s).digest('hex').toUpperCase();
}

/** One document per group/version prefix of the paths in openapi.yaml. */
export function groupVersionDocuments(doc: ApiDocument): GroupVersionDocument[] {
  const byPrefix = new Map<string, Record<string, unknown>>();
  for (const [path, item] of Object.entries(doc.raw.paths ?? {})) {
    const m = /^\/(apis\/[^/]+\/[^/]+)\//.exec(path);
    if (!m) continue;
    (byPrefix.get(m[1]) ?? byPrefix.set(m[1], {}).get(m[1])!)[path] = item;
  }
  return [...byPrefix].map(([key, paths]) => {
    const body = JSON.stringify({ openapi: doc.raw.openapi, info: doc.raw.info, paths, components: componentsReachedBy(doc.raw.components ?? {}, paths) });
    return { key, body, hash: sha512Hex(body) };
  });
}

const serverRelativeURL = (d: GroupVersionDocument) => `/openapi/v3/${d.key}?hash=${d.hash}`;

/** Whether an Accept header admits JSON (kube-openapi also serves protobuf, which we do not). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0].trim().toLowerCase();
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

export function openapiRoutes(app: Express, ctx: EmulatorContext): void {
  const docs = groupVersionDocuments(ctx.doc);
  const indexBody = JSON.stringify({ paths: Object.fromEntries(docs.map((d) => [d.key, { serverRelativeURL: serverRelativeURL(d) }])) });
  const indexEtag = `"${sha512Hex(indexBody)}"`;

  app.get('/openapi/v3', (req: Request, res: Response) => {
    res.setHeader('ETag', indexEtag);
    if (req.get('if-none-match') === indexEtag) {
      res.status(304).end();
      return;
    }
    res.status(200).type('application/json').end(indexBody);
  });

  for (const d of docs) {
    const etag = `"${d.hash}"`;
    app.get(`/openapi/v3/${d.key}`, (req: Request, res: Response) => {
      res.setHeader('Vary', 'Accept');
      if (!acceptsJson(req.get('accept'))) {
        res.status(406).end();
        return;
      }
      res.setHeader('ETag', etag);
      const hash = typeof req.query.hash === 'string' ? req.query.hash : '';
      if (hash) {
        // A stale hash is redirected to the current document, as kube-openapi does.
        if (hash !== d.hash) {
          res.redirect(301, serverRelativeURL(d));
          return;
        }
        // The content at a hash URL never changes.
        res.setHeader('Cache-Control', 'public, immutable');
        res.setHeader('Expires', new Date(Date.now() + 365 * 24 * 3600_000).toUTCString());
      }
      if (req.get('if-none-match') === etag) {
        res.status(304).end();
        return;
      }
      res.status(200).type('application/json').end(d.body);
    });
  }
}
