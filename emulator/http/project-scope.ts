/**
 * Project scoping, accepted and ignored. The Apoxy console scopes every request to a project in
 * one of two ways (its ProjectRequestDecorator, console/packages/core in apoxy-dev/apoxy): the header
 * `X-Apoxy-Project-Id: <project>`, or a `{projectId}` placeholder in its base URL
 * (`http://127.0.0.1:8080/{projectId}`), which puts the project before the API path:
 * `/<project>/apis/core.apoxy.dev/v1alpha2/backends`. One emulator serves one project: nothing
 * reads the header, and this drops the prefix, so a console configured either way reaches the
 * same objects (and the request log shows the path without it).
 */
import type { NextFunction, Request, Response } from 'express';
import type { MiddlewareModule } from '../context.js';

/** One leading segment before a Kubernetes API root: `/<project>/apis...`, `/<project>/openapi/v3...`. */
const PREFIXED = /^\/([^/?#]+)(\/(?:apis|api|openapi|version)(?:[/?#].*)?)$/s;
/** First segments that are roots themselves, never a project (`/api/apis` is not `/apis`). */
const ROOTS = new Set(['apis', 'api', 'openapi', 'version', 'healthz', 'livez', 'readyz', '_emulator']);

export const projectScope: MiddlewareModule = () => (req: Request, _res: Response, next: NextFunction) => {
  const url = req.url;
  // The API's own paths (nearly every request) pass with one comparison.
  if (!url.startsWith('/apis/')) {
    const m = PREFIXED.exec(url);
    if (m && !ROOTS.has(m[1])) req.url = m[2];
  }
  next();
};
