/**
 * Optional API-key authentication. With a key configured, every request must carry it as
 * `X-Apoxy-API-Key: <key>` (the header the Apoxy cloud API reads) or `Authorization: Bearer <key>`;
 * anything else is kube-apiserver's 401 `Unauthorized` Status. Health endpoints stay open, as
 * kube-apiserver leaves /healthz, /livez and /readyz to anonymous probes; so do the dashboard's
 * files, which hold no data.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext, MiddlewareModule } from '../context.js';
import { errors } from '../machinery/status.js';
import { sendError } from './respond.js';

/** The environment variable the CLI reads when `--api-key` is not given. */
export const API_KEY_ENV = 'APOXY_EMULATOR_API_KEY';

const HEALTH = /^\/(healthz|livez|readyz)(\/|$)/;
/** The dashboard's files hold no data: the page loads without the key, then asks for it. */
const DASHBOARD_FILES = /^\/_emulator\/ui(\/|$)/;

/** Hashing both sides first gives equal-length inputs, so timingSafeEqual leaks neither content nor length. */
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function presentedKey(req: Request): string | undefined {
  const header = req.get('x-apoxy-api-key');
  if (header !== undefined) return header;
  const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
  return m?.[1].trim();
}

/** Middleware ahead of everything (API, admin, discovery); none without a key. */
export const apiKeyAuth: MiddlewareModule = (ctx: EmulatorContext) => {
  const key = ctx.options.apiKey;
  if (!key) return undefined;
  const expected = digest(key); // once, at start-up
  return (req: Request, res: Response, next: NextFunction) => {
    if (HEALTH.test(req.path) || ((req.method === 'GET' || req.method === 'HEAD') && DASHBOARD_FILES.test(req.path))) return next();
    const given = presentedKey(req);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    sendError(res, errors.unauthorized());
  };
};
