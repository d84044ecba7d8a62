/**
 * Limits that keep one misbehaving client from taking the emulator down, set as kube-apiserver
 * (Go net/http) sets them where it has them:
 *
 * - request line + headers: 1 MiB (Go's DefaultMaxHeaderBytes, which kube-apiserver keeps). Go
 *   counts the request line, and so the query string, in that budget and answers 431; there is no
 *   separate URL limit and no 414. Node's parser counts the same bytes (maxHeaderSize).
 * - body: 3 MiB (MAX_BODY_BYTES in shared-names.ts) → 413 RequestEntityTooLarge.
 * - slow clients: the headers must arrive within 32 s (kube-apiserver's ReadHeaderTimeout) and
 *   the whole request within 60 s (its default --request-timeout) → 408, connection closed.
 * - concurrent watches: at most 1000 open streams (checked by the watch handler, http/watch.ts);
 *   one more gets 429 TooManyRequests with Retry-After.
 *
 * Errors found before a request reaches Express (header overflow, timeouts, garbage) are
 * written here as Status bodies too, never Node's bare status lines.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { errors, StatusError } from '../machinery/status.js';
import type { HttpLimits } from '../options.js';

export const DEFAULT_LIMITS: HttpLimits = {
  maxHeaderBytes: 1 << 20,
  headersTimeoutMs: 32_000,
  requestTimeoutMs: 60_000,
  maxWatches: 1000,
};

export function httpLimits(overrides: Partial<HttpLimits> = {}): HttpLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

function writeRawStatus(socket: Socket, se: StatusError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(se.status) + '\n';
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[se.code] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${se.code} ${reason}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The HTTP server for an app, with the limits above. */
export function createLimitedServer(app: Express, limits: HttpLimits): Server {
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Timeouts are only checked this often; keep it well under the shortest one.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
    },
    app,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      return writeRawStatus(socket, new StatusError(431, undefined, `request line and headers exceed ${limits.maxHeaderBytes} bytes`));
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      return writeRawStatus(socket, new StatusError(408, undefined, 'the request was not received in time'));
    }
    writeRawStatus(socket, errors.badRequest(`malformed HTTP request: ${err.code ?? err.message}`));
  });
  return server;
}

const openResponses = new WeakMap<Server | HttpsServer, Set<ServerResponse>>();

/**
 * Remembers the responses in progress, so that closeGracefully can tell the requests already in
 * flight, not only those that arrive later, that their connection is closing.
 */
export function trackOpenResponses(server: Server | HttpsServer): void {
  const open = new Set<ServerResponse>();
  openResponses.set(server, open);
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.once('close', () => open.delete(res));
  });
}

/**
 * Stops serving without cutting off a request in flight. `server.close()` alone waits for
 * keep-alive connections to fall idle, which never happens while clients keep sending on them
 * (a load test, a controller); so every response not yet begun (in flight now or arriving later)
 * says `Connection: close`, idle connections are dropped as they appear, and after `graceMs`
 * whatever is left is closed. Without the header a client would reuse a connection the server
 * is about to close, and a write sent on it would be lost in the race.
 */
export function closeGracefully(server: Server | HttpsServer, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 20);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    const closing = (res: ServerResponse) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    };
    openResponses.get(server)?.forEach(closing);
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => closing(res));
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
