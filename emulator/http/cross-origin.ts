/**
 * Requests from web pages on other origins. A browser sends `Origin` with every cross-origin
 * request, and a page may send a "simple" POST (text/plain, a form) to any address without
 * asking first: it cannot read the answer, but the write happens. So:
 *
 * - A request carrying an `Origin` that is neither the emulator's own (`<scheme>://<Host>`: its
 *   own pages) nor allowed by `--cors-allowed-origins` is refused with a 403 Status when it could
 *   change anything (every method but GET, HEAD and OPTIONS), before it reaches the API or the
 *   admin API. Reads pass: the browser keeps their answers from the page.
 * - Requests without `Origin` (curl, kubectl, client libraries) are not touched.
 * - `--cors-allowed-origins <regexp>` is kube-apiserver's flag (server/filters/cors.go, options
 *   in server/options/server_run_options.go): a list of regular expressions, each searched for
 *   (not anchored for you) in the Origin header and each required to pin the start and end of
 *   the host. A matching origin gets the CORS headers on every answer (watch streams too) and
 *   its preflight `OPTIONS` is answered 204 right here, before the API key is asked for, as
 *   kube-apiserver's CORS filter sits outside authentication.
 */
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext, MiddlewareModule } from '../context.js';
import { errors } from '../machinery/status.js';
import { sendError } from './respond.js';

/** kube-apiserver's help text for the flag, whose rules this follows. */
const CORS_ALLOWED_ORIGINS_HELP =
  "anchor each expression to the start of the host with '^' or '//' and to its end with '$' or the ':' port separator, " +
  "e.g. '^http://localhost:5173$' or '//example\\.com(:|$)'";

/**
 * Go's RE2 syntax as JavaScript reads it: a leading `(?i)` (or `(?s)`, `(?m)`) becomes a flag and
 * `(?P<name>` a named group; the rest of what origin patterns use is written the same in both.
 */
function toJsRegExp(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([ims]+)\)/.exec(source);
  if (lead) {
    flags = [...new Set(lead[1])].join('');
    source = source.slice(lead[0].length);
  }
  return new RegExp(source.replace(/\(\?P</g, '(?<'), flags);
}

/**
 * Compiles the allowed-origin patterns once, with kube-apiserver's validation: no empty value, a
 * valid expression, pinned at both ends of the host (CVE-2022-1996: `example.com` also matches
 * `example.com.evil.test`). `label` names the setting in messages (`--cors-allowed-origins` for
 * the CLI, `corsAllowedOrigins` for createEmulator).
 */
export function compileCorsOrigins(patterns: readonly string[] | undefined, label = '--cors-allowed-origins'): RegExp[] {
  if (patterns === undefined) return [];
  if (!Array.isArray(patterns)) throw new Error(`${label} must be a list of regular expressions, got ${JSON.stringify(patterns)}`);
  return patterns.map((p) => {
    if (typeof p !== 'string' || p === '') throw new Error(`empty value in ${label}: ${CORS_ALLOWED_ORIGINS_HELP}`);
    let re: RegExp;
    try {
      re = toJsRegExp(p);
    } catch (e) {
      throw new Error(`${label} has an invalid regular expression ${JSON.stringify(p)}: ${(e as Error).message}`);
    }
    const pinStart = p.includes('^') || p.includes('//');
    const pinEnd = p.includes('$') || p.includes(':');
    if (!pinStart || !pinEnd) throw new Error(`${label} has an invalid regular expression ${JSON.stringify(p)}: it does not pin to start/end of host in the origin header; ${CORS_ALLOWED_ORIGINS_HELP}`);
    return re;
  });
}

/** Methods that cannot change anything; everything else is a write. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** kube-apiserver's defaults (WithCORS with nil lists), plus the headers Apoxy clients send. */
const ALLOW_METHODS = 'POST, GET, OPTIONS, PUT, DELETE, PATCH';
const ALLOW_HEADERS = 'Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since, X-Apoxy-Project-Id, X-Apoxy-API-Key';
/** What a client reads besides the body: warnings, when to retry, the format, the server's time. */
const EXPOSE_HEADERS = 'Warning, Retry-After, Content-Type, Date';

/** Decisions are remembered per Origin value, for at most this many values. */
const MAX_REMEMBERED = 64;

/** `^http://evil\.example$`: the pattern that would allow exactly this origin, for the message. */
const patternFor = (origin: string) => `^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

function refusal(method: string, origin: string) {
  const how =
    origin === 'null'
      ? 'a page with an opaque origin (a sandboxed frame, a file, a redirect) cannot be allowed'
      : `to let a web app at ${origin} use the emulator, start it with --cors-allowed-origins '${patternFor(origin)}' (or createEmulator({ corsAllowedOrigins }))`;
  return errors.forbidden(`a cross-origin ${method} from ${origin} is not allowed; ${how}`);
}

/** Middleware run before the API, the admin API and the API key (after the Host check). */
export function crossOrigin(allowed: readonly RegExp[]): MiddlewareModule {
  return (ctx: EmulatorContext) => {
    const scheme = ctx.options.tls ? 'https://' : 'http://';
    const decided = new Map<string, boolean>();
    const corsAllows = (origin: string): boolean => {
      let ok = decided.get(origin);
      if (ok === undefined) {
        ok = allowed.some((re) => re.test(origin));
        if (decided.size < MAX_REMEMBERED) decided.set(origin, ok);
      }
      return ok;
    };
    return (req: Request, res: Response, next: NextFunction) => {
      const origin = req.headers.origin;
      if (origin === undefined) return next(); // not a browser: curl, kubectl, SDKs
      if (allowed.length && corsAllows(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
        // A preflight gets the headers it asks for (X-Apoxy-Project-Id, Authorization, ...).
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] || ALLOW_HEADERS);
        res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        if (req.method === 'OPTIONS') {
          res.statusCode = 204;
          res.end();
          return;
        }
        return next();
      }
      if (READS.has(req.method)) return next();
      // The emulator's own pages: the origin is the one the request was sent to.
      const host = req.headers.host;
      if (host !== undefined && origin.toLowerCase() === scheme + host.toLowerCase()) return next();
      sendError(res, refusal(req.method, origin));
    };
  };
}
