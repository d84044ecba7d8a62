/**
 * The dashboard's files at `/_emulator/ui/`: the page, its script and its style sheet, built by
 * `npm run build` into `dist/dashboard/` (scripts/build-dashboard.ts) and served as they are:
 * nothing is built or read at start-up. The page talks to the emulator only through the public
 * admin API and the Kubernetes API, like any other client.
 *
 * The files hold no data, so they are served without the API key (the page asks for it). Their
 * headers keep the page to its own origin: every script, style and connection from this server
 * only, and no other site may frame it.
 */
import { extname, join } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { isShipped, packageRoot, readShippedBytes, runsAsExecutable } from '../../shipped/files.js';
import { errors, StatusError } from '../machinery/status.js';
import { ADMIN_PREFIX } from '../shared-names.js';
import { sendError } from './respond.js';

/** Where the dashboard is served; the start-up line names it. */
export const DASHBOARD_PATH = `${ADMIN_PREFIX}/ui/`;

/** The built files: `dist/dashboard/` at the package root (beside openapi.yaml). */
export const DASHBOARD_FILES = 'dist/dashboard';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

/** In the single-file executable the built files are its assets: served from there, with an ETag as express.static does. */
const fromAssets: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const rel = `${DASHBOARD_FILES}/${req.path === '/' ? 'index.html' : req.path.slice(1)}`;
  if (rel.includes('..') || !isShipped(rel)) return next();
  res.type(TYPES[extname(rel)] ?? 'application/octet-stream');
  res.send(readShippedBytes(rel));
};

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Revalidated on each load (ETag), so a rebuilt dashboard is picked up at once.
  'Cache-Control': 'no-cache',
};

export function dashboardRoutes(app: express.Express, _ctx: EmulatorContext): void {
  const router = express.Router();
  const mount = DASHBOARD_PATH.slice(0, -1);
  router.use((req: Request, res: Response, next: NextFunction) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // Relative asset URLs need the trailing slash.
    if (req.originalUrl === mount || req.originalUrl.startsWith(mount + '?')) return res.redirect(308, DASHBOARD_PATH + req.originalUrl.slice(mount.length));
    next();
  });
  router.use(runsAsExecutable() ? fromAssets : express.static(join(packageRoot()!, DASHBOARD_FILES), { index: 'index.html', redirect: false, dotfiles: 'ignore' }));
  router.get('/', (_req: Request, res: Response) =>
    sendError(res, new StatusError(503, 'ServiceUnavailable', 'the dashboard is not built: run `npm run build` in the apoxy-emulator package', {})),
  );
  router.all('/', (_req: Request, res: Response) => sendError(res, errors.methodNotAllowed()));
  router.all('/{*rest}', (req: Request, res: Response) =>
    req.method === 'GET' || req.method === 'HEAD' ? sendError(res, new StatusError(404, 'NotFound', 'the server could not find the requested resource', {})) : sendError(res, errors.methodNotAllowed()),
  );
  app.use(mount, router);
}
