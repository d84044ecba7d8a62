/**
 * A web page the developer visits cannot reach into the emulator; a web app they develop can,
 * when they say so (docs/security.md). End to end against the CLI, as a real process on
 * 127.0.0.1: the Host check (DNS rebinding), the Origin check on writes (cross-site requests),
 * the admin API's content types, `--cors-allowed-origins`, and the console's project scoping.
 * Every refused request is shown to change nothing: not the store, not the fault rules (a rule
 * that matches every API request counts each one that gets that far), not the clock, not the
 * request log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '../emulator/index.js';
import { runCli, startCli, type Running } from './cli-process.js';

const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';
const KEY = 'key-for-cors-tests';
const dir = mkdtempSync(join(tmpdir(), 'apoxy-host-origin-'));
const faultsFile = join(dir, 'faults.yaml');
// Matches every API request and (practically) never fires: its `matched` count tells whether a
// request got as far as the API.
writeFileSync(faultsFile, 'rules:\n  - id: counts-api-requests\n    match: {}\n    everyNth: 1000000\n    error: { code: 500 }\n');

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: any;
}

/** One request with exactly these headers (Host included), on its own connection. */
function send(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h['content-length'] = String(Buffer.byteLength(body));
    const req = httpRequest({ host: hostname, port, method, path, headers: h, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Everything a refused request must leave as it was. */
async function state(url: string, headers: Record<string, string> = {}) {
  const get = async (path: string) => (await send(url, 'GET', path, headers)).body;
  return {
    store: await get('/_emulator/snapshot'),
    faults: await get('/_emulator/faults'),
    clock: await get('/_emulator/clock'),
    requests: await get('/_emulator/requests'),
  };
}

function expectForbidden(a: Answer, mentions: string) {
  expect(a.status, a.text).toBe(403);
  expect(a.headers['content-type']).toBe('application/json');
  expect(a.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, details: {} });
  expect(a.body.message).toMatch(/^forbidden: /);
  expect(a.body.message).toContain(mentions);
}

const manifest = (name: string) => JSON.stringify({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name }, spec: { endpoints: [{ fqdn: `${name}.example.com` }] } });
const planted = manifest('planted');

/** Every write of the admin API, each with a body that would succeed were it accepted. */
const ADMIN_WRITES: [string, string, string][] = [
  ['POST', '/_emulator/reset', ''],
  ['POST', '/_emulator/seed', planted],
  ['PUT', '/_emulator/snapshot', JSON.stringify({ resourceVersion: 99, resources: { backends: {} } })],
  ['DELETE', '/_emulator/requests', ''],
  ['PUT', '/_emulator/faults', JSON.stringify({ rules: [{ error: { code: 500 } }] })],
  ['POST', '/_emulator/faults', JSON.stringify({ rules: [{ error: { code: 500 } }] })],
  ['DELETE', '/_emulator/faults', ''],
  ['POST', '/_emulator/clock', JSON.stringify({ advance: '1h' })],
];
/** Every write of the API, in both versions. */
const API_WRITES: [string, string, string][] = [
  ['POST', BASE, planted],
  ['POST', BASE.replace('v1alpha2', 'v1alpha'), planted.replace('v1alpha2', 'v1alpha')],
  ['PUT', `${BASE}/fqdn-backend`, manifest('fqdn-backend')],
  ['PATCH', `${BASE}/fqdn-backend`, JSON.stringify({ metadata: { labels: { pwned: 'yes' } } })],
  ['PUT', `${BASE}/fqdn-backend/status`, manifest('fqdn-backend')],
  ['PATCH', `${BASE}/fqdn-backend/status`, JSON.stringify({ status: { phase: 'pwned' } })],
  ['DELETE', `${BASE}/fqdn-backend`, ''],
  ['DELETE', BASE, ''],
];
/** What a page may send anywhere without a preflight, and what it may send after one. */
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json', 'application/merge-patch+json', 'application/yaml', undefined];

const started: Running[] = [];
afterAll(async () => {
  for (const p of started.splice(0)) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<Running> {
  const p = await startCli(['serve', '--port', '0', '--in-memory', ...args]);
  started.push(p);
  return p;
}

describe('by default', () => {
  let emu: Running;
  let url: string;
  let port: string;
  beforeAll(async () => {
    emu = await cli(['--seed', 'fixtures/valid/fqdn.yaml', '--faults', faultsFile, '--clock', 'fixed:2026-01-01T00:00:00Z']);
    url = emu.url;
    port = new URL(url).port;
  });

  it('refuses a Host that is not loopback with 403 naming --allowed-hosts, on the API, the admin API, discovery, OpenAPI and health, touching nothing', async () => {
    const before = await state(url);
    const paths: [string, string, string?][] = [
      ['GET', BASE],
      ['GET', `${BASE}/fqdn-backend`],
      ['GET', `${BASE}?watch=true`],
      ['POST', BASE, planted],
      ['DELETE', BASE],
      ['GET', '/_emulator/snapshot'],
      ['POST', '/_emulator/reset'],
      ['POST', '/_emulator/clock', JSON.stringify({ advance: '1h' })],
      ['GET', '/apis'],
      ['GET', '/apis/core.apoxy.dev/v1alpha2'],
      ['GET', '/openapi/v3'],
      ['GET', '/openapi/v2'],
      ['GET', '/version'],
      ['GET', '/healthz'],
      ['GET', '/livez'],
      ['GET', '/readyz'],
      ['GET', '/no/such/path'],
    ];
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, `192.0.2.7:${port}`, `[2001:db8::1]:${port}`]) {
      for (const [method, path, body] of paths) {
        const headers: Record<string, string> = { host, 'content-type': 'application/json' };
        const a = await send(url, method, path, headers, body);
        expectForbidden(a, '--allowed-hosts');
        if (!host.startsWith('[') && !/^\d/.test(host)) expect(a.body.message).toContain(`--allowed-hosts ${host.split(':')[0]}`);
      }
    }
    // A Host that is not a host at all.
    expectForbidden(await send(url, 'GET', BASE, { host: 'user@127.0.0.1' }), '--allowed-hosts');
    expectForbidden(await send(url, 'GET', BASE, { host: '127.0.0.1:8080/x' }), '--allowed-hosts');
    expect(await state(url)).toEqual(before);
  });

  it('answers loopback names and addresses, with or without the port', async () => {
    for (const host of [`127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, 'localhost', `LocalHost:${port}`, `127.8.9.10:${port}`, `[::1]:${port}`, '[::1]', `[0:0:0:0:0:0:0:1]:${port}`, `app.localhost:${port}`, `localhost:1`]) {
      const list = await send(url, 'GET', BASE, { host });
      expect(list.status, host).toBe(200);
      expect(list.body.items.map((o: any) => o.metadata.name)).toEqual(['fqdn-backend']);
      expect((await send(url, 'GET', '/healthz', { host })).text).toBe('ok');
    }
  });

  it('refuses every write of the admin API and the API from a foreign Origin, whatever its content type, touching nothing', async () => {
    const before = await state(url);
    expect(before.store.resources.backends['fqdn-backend']).toBeDefined();
    expect(before.faults.rules).toEqual([expect.objectContaining({ id: 'counts-api-requests', fired: 0 })]);
    let refused = 0;
    for (const origin of ['http://evil.example', 'https://evil.example', `http://localhost:${Number(port) + 1}`, `http://localhost:${port}`, 'null']) {
      for (const [method, path, body] of [...ADMIN_WRITES, ...API_WRITES]) {
        for (const type of CONTENT_TYPES) {
          const headers: Record<string, string> = { origin, ...(type ? { 'content-type': type } : {}) };
          const a = await send(url, method, path, headers, body || undefined);
          expectForbidden(a, origin === 'null' ? 'opaque origin' : `--cors-allowed-origins '^${origin.replace(/\./g, '\\.')}$'`);
          expect(a.headers['access-control-allow-origin']).toBeUndefined();
          refused++;
        }
      }
    }
    expect(refused).toBe(5 * 16 * CONTENT_TYPES.length);
    expect(await state(url)).toEqual(before);
  });

  it('lets reads from a foreign Origin through without CORS headers (the browser keeps the answer from the page)', async () => {
    const a = await send(url, 'GET', `${BASE}/fqdn-backend`, { origin: 'http://evil.example' });
    expect(a.status).toBe(200);
    expect(a.headers['access-control-allow-origin']).toBeUndefined();
    // A preflight from it is not answered as one: the API's own 405, no CORS headers.
    const pre = await send(url, 'OPTIONS', BASE, { origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    expect(pre.status).toBe(405);
    expect(Object.keys(pre.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses admin bodies in types it does not document with 415, touching nothing', async () => {
    const before = await state(url);
    const cases: [string, string, string, string | undefined][] = [
      ['POST', '/_emulator/seed', planted, 'text/plain'],
      ['POST', '/_emulator/seed', planted, 'application/x-www-form-urlencoded'],
      ['POST', '/_emulator/seed', planted, 'text/yaml'],
      ['POST', '/_emulator/seed', planted, undefined],
      ['POST', '/_emulator/reset', '', 'text/plain'],
      ['POST', '/_emulator/reset', 'x', undefined],
      ['PUT', '/_emulator/snapshot', JSON.stringify({ resourceVersion: 1, resources: { backends: {} } }), 'text/plain'],
      ['PUT', '/_emulator/faults', JSON.stringify({ rules: [{ error: { code: 500 } }] }), 'multipart/form-data; boundary=x'],
      ['POST', '/_emulator/faults', JSON.stringify({ rules: [{ error: { code: 500 } }] }), 'application/yaml'],
      ['DELETE', '/_emulator/faults', '', 'text/plain'],
      ['POST', '/_emulator/clock', JSON.stringify({ advance: '1h' }), 'application/x-www-form-urlencoded'],
      ['POST', '/_emulator/clock', JSON.stringify({ advance: '1h' }), undefined],
    ];
    for (const [method, path, body, type] of cases) {
      const a = await send(url, method, path, type ? { 'content-type': type } : {}, body);
      expect(a.status, `${method} ${path} ${type}`).toBe(415);
      expect(a.body).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
      expect(a.body.message).toContain(path === '/_emulator/seed' ? 'application/json, application/yaml' : 'application/json');
    }
    expect(await state(url)).toEqual(before);
  });

  it('still serves writes without an Origin (curl, kubectl, SDKs) and from its own origin (its own pages)', async () => {
    const before = await state(url);
    const own = `http://127.0.0.1:${port}`;
    // The admin API, from its own origin and from none.
    expect((await send(url, 'POST', '/_emulator/clock', { origin: own, 'content-type': 'application/json' }, JSON.stringify({ advance: '1h' }))).body.now).toBe('2026-01-01T01:00:00.000Z');
    expect((await send(url, 'POST', '/_emulator/clock', { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ advance: '1h' }))).body.now).toBe('2026-01-01T02:00:00.000Z');
    const seeded = await send(url, 'POST', '/_emulator/seed', { origin: own, 'content-type': 'application/yaml' }, planted);
    expect(seeded.body).toMatchObject({ created: 1 });
    // The API, from its own origin under each loopback name it is reached by.
    for (const [i, host] of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].entries()) {
      const a = await send(url, 'POST', BASE, { host, origin: `http://${host}`, 'content-type': 'application/json' }, manifest(`own-${i}`));
      expect(a.status, a.text).toBe(201);
    }
    const patched = await send(url, 'PATCH', `${BASE}/planted`, { 'content-type': 'application/merge-patch+json' }, JSON.stringify({ metadata: { labels: { a: 'b' } } }));
    expect(patched.body.metadata.labels).toEqual({ a: 'b' });
    // The requests that got through reached the API (the counting rule saw them); the log has them.
    const after = await state(url);
    expect(after.faults.rules[0].matched - before.faults.rules[0].matched).toBe(4);
    expect(after.requests.items.slice(before.requests.items.length).map((r: any) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'POST 201', 'POST 201', 'PATCH 200']);
    const reset = await send(url, 'POST', '/_emulator/reset', {});
    expect(reset.status).toBe(200);
    expect(Object.keys((await state(url)).store.resources.backends ?? {})).toEqual([]);
  });

  it('accepts and ignores the console\'s project scoping: X-Apoxy-Project-Id and a /{projectId} base-URL prefix', async () => {
    await send(url, 'POST', '/_emulator/seed', { 'content-type': 'application/yaml' }, manifest('scoped'));
    const plain = await send(url, 'GET', BASE);
    for (const project of ['default', '0e3f6a10-8d2b-4c8e-9a43-7d3c4b2a1f00']) {
      const withHeader = await send(url, 'GET', BASE, { 'x-apoxy-project-id': project });
      expect(withHeader.body).toEqual(plain.body);
      const prefixed = await send(url, 'GET', `/${project}${BASE}`);
      expect(prefixed.status).toBe(200);
      expect(prefixed.body).toEqual(plain.body);
      expect((await send(url, 'GET', `/${project}/apis`)).text).toBe((await send(url, 'GET', '/apis')).text);
      expect((await send(url, 'GET', `/${project}/openapi/v3`)).text).toBe((await send(url, 'GET', '/openapi/v3')).text);
    }
    // Writes and watches through the prefix reach the same store.
    const created = await send(url, 'POST', `/default${BASE}?fieldManager=console`, { 'content-type': 'application/json', 'x-apoxy-project-id': 'default' }, manifest('via-prefix'));
    expect(created.status, created.text).toBe(201);
    const applied = await send(url, 'PATCH', `/default${BASE}/via-prefix?fieldManager=console`, { 'content-type': 'application/apply-patch+yaml' }, JSON.stringify({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'via-prefix', labels: { tier: 'edge' } }, spec: { endpoints: [{ fqdn: 'via-prefix.example.com' }] } }));
    expect(applied.status, applied.text).toBe(200);
    expect((await send(url, 'GET', `${BASE}/via-prefix`)).body.metadata.labels).toEqual({ tier: 'edge' });
    // The request log shows the API path, without the project.
    const log = (await send(url, 'GET', '/_emulator/requests?method=PATCH')).body.items;
    expect(log.at(-1).path).toBe(`${BASE}/via-prefix`);
    // Only one leading segment before an API root is a project; roots stay roots.
    expect((await send(url, 'GET', '/a/b/apis')).status).toBe(404);
    expect((await send(url, 'GET', '/api/apis')).body).toHaveProperty('paths');
    expect((await send(url, 'GET', `/default/_emulator/snapshot`)).body).toHaveProperty('paths');
  });
});

describe('--cors-allowed-origins', () => {
  let emu: Running;
  let url: string;
  const APP = 'http://localhost:5173';
  beforeAll(async () => {
    // kube-apiserver's flag: regular expressions, comma separated and repeatable; with an API key,
    // which a preflight does not need.
    emu = await cli(['--cors-allowed-origins', '^http://localhost:5173$,//app\\.example\\.test(:|$)', '--cors-allowed-origins', '(?i)^https://CONSOLE\\.example\\.test$', '--api-key', KEY]);
    url = emu.url;
  });

  const CORS = {
    'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE, PATCH',
    'access-control-expose-headers': 'Warning, Retry-After, Content-Type, Date',
    'access-control-allow-credentials': 'true',
  };

  it('answers a preflight from a matching origin with 204, the origin, the methods, the headers it asked for, credentials and exposed headers', async () => {
    for (const origin of [APP, 'https://app.example.test', 'http://app.example.test:3000', 'https://console.example.test']) {
      const pre = await send(url, 'OPTIONS', `${BASE}/web`, {
        origin,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type,x-apoxy-project-id',
      });
      expect(pre.status, origin).toBe(204);
      expect(pre.text).toBe('');
      expect(pre.headers).toMatchObject({ ...CORS, 'access-control-allow-origin': origin, 'access-control-allow-headers': 'authorization,content-type,x-apoxy-project-id' });
    }
    // Without Access-Control-Request-Headers: kube-apiserver's list, with the Apoxy headers.
    const pre = await send(url, 'OPTIONS', '/_emulator/reset', { origin: APP, 'access-control-request-method': 'POST' });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toBe('Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since, X-Apoxy-Project-Id, X-Apoxy-API-Key');
  });

  it('puts the same headers on actual answers: reads, writes, errors, the 401 of a missing key, the admin API and watch streams', async () => {
    const auth = { origin: APP, authorization: `Bearer ${KEY}`, 'x-apoxy-project-id': 'default' };
    const created = await send(url, 'POST', BASE, { ...auth, 'content-type': 'application/json' }, JSON.stringify({ metadata: { name: 'web' }, spec: { endpoints: [{ fqdn: 'web.example.com' }], extra: 1 } }));
    expect(created.status, created.text).toBe(201);
    expect(created.headers.warning).toBe('299 - "unknown field \\"spec.extra\\""');
    const answers = [
      created,
      await send(url, 'GET', `${BASE}/web`, auth),
      await send(url, 'GET', BASE, auth),
      await send(url, 'PATCH', `/default${BASE}/web?fieldManager=console`, { ...auth, 'content-type': 'application/apply-patch+yaml' }, JSON.stringify({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'web', labels: { tier: 'edge' } } })),
      await send(url, 'POST', BASE, { ...auth, 'content-type': 'application/json' }, JSON.stringify({ metadata: { name: 'web' }, spec: {} })), // 409
      await send(url, 'GET', BASE, { origin: APP }), // 401
      await send(url, 'GET', '/_emulator/faults', auth),
      await send(url, 'POST', '/_emulator/clock', { ...auth, 'content-type': 'application/json' }, JSON.stringify({ advance: '1s' })),
      await send(url, 'GET', '/apis', auth),
    ];
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200, 200, 409, 401, 200, 200, 200]);
    for (const a of answers) expect(a.headers).toMatchObject({ ...CORS, 'access-control-allow-origin': APP });

    // A watch: the headers arrive with the stream's head, before any event.
    const watch = await new Promise<{ headers: IncomingHttpHeaders; first: string }>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const req = httpRequest({ host: hostname, port, path: `${BASE}?watch=1&allowWatchBookmarks=true`, headers: auth, agent: false }, (res) => {
        res.setEncoding('utf8');
        res.once('data', (d: string) => {
          resolve({ headers: res.headers, first: d.split('\n')[0] });
          req.destroy();
        });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
    expect(watch.headers).toMatchObject({ ...CORS, 'access-control-allow-origin': APP, 'content-type': 'application/json' });
    expect(JSON.parse(watch.first)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'web' } } });
  });

  it('gives an origin that does not match none of it, and refuses its writes', async () => {
    for (const origin of ['http://localhost:5174', 'http://localhost:5173.evil.test', 'https://localhost:5173', 'http://evilapp.example.test', 'https://app.example.test.evil.test', 'null']) {
      const pre = await send(url, 'OPTIONS', BASE, { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
      expect(pre.status, origin).not.toBe(204);
      const get = await send(url, 'GET', BASE, { origin, authorization: `Bearer ${KEY}` });
      expect(get.status).toBe(200);
      const post = await send(url, 'POST', '/_emulator/reset', { origin, authorization: `Bearer ${KEY}` });
      expectForbidden(post, origin === 'null' ? 'opaque origin' : '--cors-allowed-origins');
      for (const a of [pre, get, post]) expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect((await send(url, 'GET', `${BASE}/web`, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });
});

describe('--allowed-hosts', () => {
  it('adds names, domains and addresses; "all" turns the check off', async () => {
    const [named, all] = await Promise.all([cli(['--allowed-hosts', 'emulator.test', '--allowed-hosts', '.dev.test,192.0.2.7', '--allowed-hosts', '2001:db8::1']), cli(['--allowed-hosts', 'all'])]);
    const port = new URL(named.url).port;
    for (const host of ['emulator.test', `EMULATOR.test:${port}`, 'dev.test', `a.b.dev.test:${port}`, `192.0.2.7:${port}`, `[2001:db8::1]:${port}`, `[2001:db8:0::1]`, `localhost:${port}`]) {
      expect((await send(named.url, 'GET', '/healthz', { host })).status, host).toBe(200);
    }
    for (const host of ['evil.example', 'emulator.test.evil.example', 'xdev.test', '192.0.2.8']) {
      expectForbidden(await send(named.url, 'GET', '/healthz', { host }), `--allowed-hosts ${host}`);
    }
    for (const host of ['evil.example:1', 'anything', `127.0.0.1:${new URL(all.url).port}`]) {
      expect((await send(all.url, 'GET', BASE, { host })).status, host).toBe(200);
    }
  });

  it('rejects a bad flag value with exit 2 and a message, as createEmulator() rejects the option', async () => {
    const runs = await Promise.all([
      runCli(['serve', '--port', '0', '--in-memory', '--allowed-hosts', 'http://example.test:80']),
      runCli(['serve', '--port', '0', '--in-memory', '--allowed-hosts', '']),
      runCli(['serve', '--port', '0', '--in-memory', '--cors-allowed-origins', 'localhost:5173']),
      runCli(['serve', '--port', '0', '--in-memory', '--cors-allowed-origins', '^http://localhost:5173$,']),
      runCli(['serve', '--port', '0', '--in-memory', '--cors-allowed-origins', '^http://(localhost$']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0].stderr).toContain('--allowed-hosts takes a host name or address');
    expect(runs[1].stderr).toContain('--allowed-hosts takes a host name or address');
    expect(runs[2].stderr).toContain('--cors-allowed-origins has an invalid regular expression "localhost:5173": it does not pin to start/end of host');
    expect(runs[3].stderr).toContain('empty value in --cors-allowed-origins');
    expect(runs[4].stderr).toContain('--cors-allowed-origins has an invalid regular expression "^http://(localhost$"');
    for (const r of runs) expect(r.stderr).toContain("Run 'apoxy-emulator --help' for usage.");

    await expect(createEmulator({ allowedHosts: ['http://example.test:80'] })).rejects.toThrow('allowedHosts takes a host name or address');
    await expect(createEmulator({ allowedHosts: 'everything' as 'all' })).rejects.toThrow('allowedHosts must be a list of host names or "all"');
    await expect(createEmulator({ corsAllowedOrigins: ['example.com'] })).rejects.toThrow('corsAllowedOrigins has an invalid regular expression "example.com": it does not pin');
    await expect(createEmulator({ corsAllowedOrigins: [''] })).rejects.toThrow('empty value in corsAllowedOrigins');
    await expect(createEmulator({ corsAllowedOrigins: '^http://localhost:5173$' as unknown as string[] })).rejects.toThrow('corsAllowedOrigins must be a list');
  });
});

describe('createEmulator({ corsAllowedOrigins, allowedHosts })', () => {
  it('checks what the CLI flags check', async () => {
    const e = await createEmulator({ corsAllowedOrigins: ['^http://localhost:5173$'], allowedHosts: ['emulator.test'] });
    try {
      const url = await e.listen(0);
      const pre = await send(url, 'OPTIONS', BASE, { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' });
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect((await send(url, 'GET', BASE, { host: 'emulator.test' })).status).toBe(200);
      expectForbidden(await send(url, 'GET', BASE, { host: 'evil.example' }), '--allowed-hosts evil.example');
      expectForbidden(await send(url, 'DELETE', BASE, { origin: 'http://localhost:5174' }), "--cors-allowed-origins '^http://localhost:5174$'");
      expect((await send(url, 'DELETE', BASE, { origin: 'http://localhost:5173' })).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('answers to the address listen() binds', async () => {
    const e = await createEmulator();
    try {
      const url = await e.listen(0, '0.0.0.0');
      const port = new URL(url).port;
      expect((await send(`http://127.0.0.1:${port}`, 'GET', '/healthz', { host: `0.0.0.0:${port}` })).status).toBe(200);
      expectForbidden(await send(`http://127.0.0.1:${port}`, 'GET', '/healthz', { host: `192.0.2.7:${port}` }), '--allowed-hosts 192.0.2.7');
    } finally {
      await e.close();
    }
  });
});
