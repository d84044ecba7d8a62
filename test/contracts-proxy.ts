/**
 * A tiny test-only HTTP proxy in front of an emulator. It records every request and can
 * rewrite requests and responses, to break one behaviour at a time (fault tests) or to
 * watch what the contract suite sends (safety tests).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: URL;
  body: string;
  headers: Record<string, string>;
}

export interface Rewrites {
  /** May change the request before it is forwarded (method, url, headers, body). */
  request?(r: Recorded, upstream: string): Promise<void> | void;
  /** May change a (non-streaming) response. */
  response?(r: Recorded, res: { status: number; headers: Record<string, string>; body: string }): void;
  /** May drop or change watch lines. */
  watchLine?(line: string): string | undefined;
}

export interface Proxy {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
}

export async function startProxy(upstream: string, rw: Rewrites = {}): Promise<Proxy> {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: Recorded = { method: req.method!, url: new URL(req.url!, upstream), body: Buffer.concat(chunks).toString(), headers: flatHeaders(req.headers) };
    requests.push({ ...rec, url: new URL(rec.url) });
    await rw.request?.(rec, upstream);
    const headers = { ...rec.headers };
    delete headers['content-length'];
    delete headers.host;
    // Bodiless requests go out without Content-Length, as clients send them.
    const length: Record<string, string> = rec.body ? { 'content-length': String(Buffer.byteLength(rec.body)) } : {};
    const up = httpRequest(new URL(rec.url.pathname + rec.url.search, upstream), { method: rec.method, headers: { ...headers, ...length } }, (ures) => {
      const isWatch = rec.url.searchParams.get('watch') === '1' || rec.url.searchParams.get('watch') === 'true';
      if (isWatch && ures.statusCode === 200) {
        const h = flatHeaders(ures.headers);
        delete h['content-length'];
        res.writeHead(200, h);
        res.flushHeaders(); // the client waits for them before it acts
        let buf = '';
        ures.on('data', (d: Buffer) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            const out = rw.watchLine ? rw.watchLine(line) : line;
            if (out !== undefined) res.write(out + '\n');
          }
        });
        ures.on('end', () => res.end());
        res.on('close', () => ures.destroy());
        return;
      }
      const body: Buffer[] = [];
      ures.on('data', (d: Buffer) => body.push(d));
      ures.on('end', () => {
        const r = { status: ures.statusCode!, headers: flatHeaders(ures.headers), body: Buffer.concat(body).toString() };
        rw.response?.(rec, r);
        delete r.headers['content-length'];
        delete r.headers['transfer-encoding'];
        res.writeHead(r.status, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
        res.end(r.body);
      });
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    up.end(rec.body || undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Rewrites a JSON response body in place; non-JSON bodies are left alone. */
export function editJson(res: { body: string }, edit: (b: Record<string, any>) => void) {
  try {
    const b = JSON.parse(res.body);
    edit(b);
    res.body = JSON.stringify(b);
  } catch { /* not JSON */ }
}
