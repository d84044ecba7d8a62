/**
 * Security: API-key authentication, the loopback default and its warning, and the limits that
 * keep one client from hurting the others (headers, body, concurrent watches, slow clients).
 * Real servers on 127.0.0.1, port 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';
import { startCli, type Running } from './cli-process.js';

const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';
const KEY = 's3cret-key-for-tests';

const running: Emulator[] = [];
const processes: Running[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
  for (const p of processes.splice(0)) await p.stop();
});

async function serve(options: EmulatorOptions = {}): Promise<string> {
  const e = await createEmulator(options);
  running.push(e);
  return e.listen(0);
}

function expectStatus(body: any, code: number, reason?: string) {
  expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
  if (reason) expect(body.reason).toBe(reason);
}

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function raw(url: string, data: string | Buffer, opts: { end?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('error', reject);
    s.on('close', () => resolve(out));
    s.write(data);
    if (opts.end) s.end();
  });
}

function responseBody(rawResponse: string): unknown {
  return JSON.parse(rawResponse.slice(rawResponse.indexOf('\r\n\r\n') + 4));
}

describe('API key', () => {
  it('refuses requests without the key, or with a wrong one, with the Unauthorized Status', async () => {
    const url = await serve({ apiKey: KEY });
    for (const headers of <Record<string, string>[]>[{}, { 'x-apoxy-api-key': 'wrong' }, { authorization: 'Bearer wrong' }, { authorization: `Basic ${KEY}` }, { 'x-apoxy-api-key': `${KEY}x` }]) {
      const res = await fetch(url + BASE, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = await res.json();
      expectStatus(body, 401, 'Unauthorized');
      expect(body.message).toBe('Unauthorized');
    }
    // Writes are refused before they touch the store.
    const post = await fetch(url + BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'x' }, spec: {} }) });
    expect(post.status).toBe(401);
    const list = await (await fetch(url + BASE, { headers: { 'x-apoxy-api-key': KEY } })).json();
    expect(list.items).toEqual([]);
  });

  it('accepts the key as X-Apoxy-API-Key or as a Bearer token, on every endpoint', async () => {
    const url = await serve({ apiKey: KEY });
    for (const headers of <Record<string, string>[]>[{ 'x-apoxy-api-key': KEY }, { authorization: `Bearer ${KEY}` }, { authorization: `bearer ${KEY}` }]) {
      const res = await fetch(url + BASE, { headers });
      expect(res.status).toBe(200);
      expect((await res.json()).kind).toBe('BackendList');
    }
    const created = await fetch(url + BASE, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ metadata: { name: 'web' }, spec: { endpoints: [{ fqdn: 'web.example.com' }] } }),
    });
    expect(created.status).toBe(201);
    // Not only the resource API: discovery and unknown paths are behind the key too.
    expect((await fetch(url + '/apis')).status).toBe(401);
    expect((await fetch(url + '/no/such/path')).status).toBe(401);
  });

  it('leaves the health endpoints open', async () => {
    const url = await serve({ apiKey: KEY });
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = await fetch(url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
    }
  });

  it('is off when no key is configured', async () => {
    const url = await serve();
    expect((await fetch(url + BASE)).status).toBe(200);
  });
});

describe('binding', () => {
  it('binds 127.0.0.1 by default and warns when another host is used without a key', async () => {
    const [local, open, keyed] = await Promise.all([
      startCli(['serve', '--port', '0', '--in-memory']),
      startCli(['serve', '--port', '0', '--in-memory', '--host', '0.0.0.0']),
      startCli(['serve', '--port', '0', '--in-memory', '--host', '0.0.0.0', '--api-key', KEY]),
    ]);
    processes.push(local, open, keyed);
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.stderr.join('\n')).not.toMatch(/warning/);

    await new Promise((r) => setTimeout(r, 100)); // stderr is read line by line
    expect(open.stderr.join('\n')).toMatch(/warning: listening on 0\.0\.0\.0 without an API key/);
    // Clients on other machines name it by an address or name the Host check refuses: how to allow them.
    const hostNote = /requests whose Host header names anything but a loopback address or 0\.0\.0\.0 get 403 Forbidden; allow the names and addresses clients use with --allowed-hosts <name> \(repeatable\), or any with --allowed-hosts all/;
    expect(open.stderr.join('\n')).toMatch(hostNote);
    expect(local.stderr.join('\n')).not.toMatch(/allowed-hosts/);

    const port = new URL(keyed.url).port;
    expect(keyed.stderr.join('\n')).not.toMatch(/warning/);
    expect(keyed.stderr.join('\n')).toMatch(hostNote);
    expect((await fetch(`http://127.0.0.1:${port}${BASE}`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}${BASE}`, { headers: { 'x-apoxy-api-key': KEY } })).status).toBe(200);
  });

  it('reads the key from APOXY_EMULATOR_API_KEY', async () => {
    const p = await startCli(['serve', '--port', '0', '--in-memory'], { env: { APOXY_EMULATOR_API_KEY: KEY } });
    processes.push(p);
    expect((await fetch(p.url + BASE)).status).toBe(401);
    expect((await fetch(p.url + BASE, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });
});

describe('limits', () => {
  it('answers request lines and headers over the limit with 431 and a Status', async () => {
    const url = await serve({ limits: { maxHeaderBytes: 16 * 1024 } });
    const longQuery = await raw(url, `GET ${BASE}?labelSelector=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(longQuery).toMatch(/^HTTP\/1\.1 431 /);
    expectStatus(responseBody(longQuery), 431);
    const longHeader = await raw(url, `GET ${BASE} HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(longHeader).toMatch(/^HTTP\/1\.1 431 /);
    expectStatus(responseBody(longHeader), 431);
    // Under the limit, a long query is served.
    expect((await fetch(`${url}${BASE}?labelSelector=${'a'.repeat(8000)}`)).status).toBe(400);
  });

  it('answers a body over 3 MiB with 413 RequestEntityTooLarge', async () => {
    const url = await serve();
    const body = JSON.stringify({ metadata: { name: 'big', annotations: { a: 'x'.repeat(3 * 1024 * 1024) } }, spec: {} });
    const res = await fetch(url + BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expectStatus(await res.json(), 413, 'RequestEntityTooLarge');
  });

  it('refuses a watch over the limit with 429 and Retry-After, and admits one again when a watch ends', async () => {
    const url = await serve({ limits: { maxWatches: 2 } });
    const open = () =>
      new Promise<{ status: number; close: () => void }>((resolve, reject) => {
        const req = httpRequest(`${url}${BASE}?watch=true`, (res) => resolve({ status: res.statusCode!, close: () => req.destroy() }));
        req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
        req.end();
      });
    const a = await open();
    const b = await open();
    expect([a.status, b.status]).toEqual([200, 200]);
    const res = await fetch(`${url}${BASE}?watch=1`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expectStatus(await res.json(), 429, 'TooManyRequests');
    // Plain lists are not watches and are not limited.
    expect((await fetch(url + BASE)).status).toBe(200);
    a.close();
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const c = await open();
      again = c.status;
      c.close();
    }
    expect(again).toBe(200);
    b.close();
  });

  it('closes a connection whose headers do not arrive in time with 408 and a Status', async () => {
    const url = await serve({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 300 } });
    const started = Date.now();
    const out = await raw(url, `GET ${BASE} HTTP/1.1\r\nHost: x\r\n`); // never finishes its headers
    expect(out).toMatch(/^HTTP\/1\.1 408 /);
    expectStatus(responseBody(out), 408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // The server still serves others.
    expect((await fetch(url + BASE)).status).toBe(200);
  });

  it('answers a malformed HTTP request with 400 and a Status', async () => {
    const url = await serve();
    const out = await raw(url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expectStatus(responseBody(out), 400, 'BadRequest');
  });
});
