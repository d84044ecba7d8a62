/**
 * The judge of CORS and of cross-site protection is a browser: Debian's Chromium driven headless
 * by playwright-core (never a browser download), against the CLI as a real process.
 *
 * - A web app being developed, allowed with `--cors-allowed-origins`, uses the API as the Apoxy
 *   console does (X-Apoxy-Project-Id on every request, so every request is preflighted; apply
 *   patches; a streamed watch; the `{projectId}` base-URL prefix; credentials) and reads the
 *   exposed Warning header.
 * - A page on another origin can neither read the API nor change anything through "simple"
 *   requests the browser sends without asking (no-cors fetches, a form).
 * - A page whose domain re-resolves to 127.0.0.1 (DNS rebinding: the browser treats the emulator
 *   as the page's own origin and lets it read every answer) gets only 403s.
 *
 * The pages are served by a small server of the test's own on 127.0.0.1; Chromium resolves the
 * test's names (app.test, evil.test, rebind.test) to 127.0.0.1 by --host-resolver-rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, CI, launchChromium } from './browser.js';
import { startCli, type Running } from './cli-process.js';

const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';

// Without Chromium, skip locally; in CI (.ci/run installs it) a missing browser is a failure.
describe.skipIf(!CI && !chromiumAvailable())('a real browser', () => {
  let pages: Server;
  let pagesPort: number;
  let emu: Running;
  let browser: Browser;
  let app: string;

  beforeAll(async () => {
    pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>a page</title>'));
    await new Promise<void>((r) => pages.listen(0, '127.0.0.1', r));
    pagesPort = (pages.address() as AddressInfo).port;
    app = `http://app.test:${pagesPort}`;
    // The worked example of docs/security.md, with the app's real port.
    emu = await startCli(['serve', '--port', '0', '--in-memory', '--cors-allowed-origins', `^http://app\\.test:${pagesPort}$`, '--clock', 'fixed:2026-01-01T00:00:00Z']);
    browser = await launchChromium([
      '--host-resolver-rules=MAP app.test 127.0.0.1, MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1',
      // Chromium's own guard against public pages reaching local addresses (Local Network
      // Access) would stop the rebinding page before the emulator sees it; other browsers have
      // none, so it is off here: what is tested is the emulator's own defence.
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults',
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await emu?.stop();
    await new Promise((r) => pages?.close(r));
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(url);
    return page;
  }

  /** What a refused request must leave as it was, read directly (no Origin). */
  async function state() {
    const get = async (path: string) => (await fetch(emu.url + path)).json();
    return { store: await get('/_emulator/snapshot'), faults: await get('/_emulator/faults'), clock: await get('/_emulator/clock') };
  }
  /** The methods of the API requests logged since `from` (refused requests are never logged). */
  async function loggedSince(from: number): Promise<string[]> {
    const items = (await (await fetch(`${emu.url}/_emulator/requests`)).json()).items as { method: string }[];
    return items.slice(from).map((r) => r.method);
  }
  const logged = async () => (await (await fetch(`${emu.url}/_emulator/requests`)).json()).items.length as number;

  it('lets the web app allowed by --cors-allowed-origins use the API as the Apoxy console does', async () => {
    const page = await open(`${app}/`);
    const out = await page.evaluate(async (api) => {
      // The console's decorator: X-Apoxy-Project-Id on every request (so every one is preflighted).
      const headers = (h: Record<string, string> = {}) => ({ 'X-Apoxy-Project-Id': 'default', Accept: 'application/json', ...h });
      const B = `${api}/apis/core.apoxy.dev/v1alpha2/backends`;
      const created = await fetch(B, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ metadata: { name: 'web' }, spec: { endpoints: [{ fqdn: 'web.example.com' }], extra: true } }),
      });
      const list = await (await fetch(B, { headers: headers() })).json();
      // A streamed watch: the first event arrives through the CORS-checked stream.
      const watch = await fetch(`${B}?watch=1&allowWatchBookmarks=true`, { headers: headers() });
      const reader = watch.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value).split('\n')[0];
      await reader.cancel();
      // The console's YAML tray: server-side apply, through the {projectId} base-URL prefix.
      const applied = await fetch(`${api}/default/apis/core.apoxy.dev/v1alpha2/backends/web?fieldManager=console`, {
        method: 'PATCH',
        headers: headers({ 'Content-Type': 'application/apply-patch+yaml' }),
        body: JSON.stringify({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'web', labels: { tier: 'edge' } } }),
      });
      // Credentials mode needs Access-Control-Allow-Credentials and the echoed origin.
      const withCredentials = await fetch(`${B}/web`, { headers: headers(), credentials: 'include' });
      const clock = await fetch(`${api}/_emulator/clock`, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify({ advance: '1h' }) });
      const deleted = await fetch(`${B}/web`, { method: 'DELETE', headers: headers() });
      return {
        created: created.status,
        warning: created.headers.get('warning'),
        date: created.headers.get('date') !== null,
        items: list.items.map((o: { metadata: { name: string } }) => o.metadata.name),
        watch: watch.status,
        first: JSON.parse(first),
        applied: applied.status,
        labels: (await applied.json()).metadata.labels,
        withCredentials: withCredentials.status,
        clock: (await clock.json()).now,
        deleted: deleted.status,
      };
    }, emu.url);
    expect(out).toMatchObject({
      created: 201,
      warning: '299 - "unknown field \\"spec.extra\\""',
      date: true,
      items: ['web'],
      watch: 200,
      first: { type: 'ADDED', object: { metadata: { name: 'web' } } },
      applied: 200,
      labels: { tier: 'edge' },
      withCredentials: 200,
      clock: '2026-01-01T01:00:00.000Z',
      deleted: 200,
    });
    // Every request the page made reached the API (the preflights were answered before it).
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()).items.map((r: { method: string; path: string; status: number }) => `${r.method} ${r.status}`);
    expect(log).toEqual(['POST 201', 'GET 200', 'GET 200', 'PATCH 200', 'GET 200', 'DELETE 200']);
    await page.close();
  });

  it('keeps a page on another origin from reading the API or changing anything', async () => {
    await fetch(`${emu.url}/_emulator/seed`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: kept}\nspec: {endpoints: [{fqdn: kept.example.com}]}\n' });
    const before = await state();
    const logStart = await logged();
    const page = await open(`http://evil.test:${pagesPort}/`);
    const out = await page.evaluate(async (api) => {
      const B = `${api}/apis/core.apoxy.dev/v1alpha2/backends`;
      const read = await fetch(B).then(() => 'read', (e: Error) => e.name);
      // Requests a page may send anywhere without a preflight: the browser sends them, the answer stays opaque.
      const simple: [string, string, string][] = [
        ['POST', '/_emulator/reset', ''],
        ['POST', '/_emulator/seed', 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: planted}\nspec: {}\n'],
        ['POST', '/_emulator/faults', '{"rules":[{"error":{"code":500}}]}'],
        ['POST', '/_emulator/clock', '{"advance":"24h"}'],
        ['POST', '/apis/core.apoxy.dev/v1alpha2/backends', '{"metadata":{"name":"planted"},"spec":{}}'],
      ];
      const sent: string[] = [];
      for (const [method, path, body] of simple) {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
          const r = await fetch(api + path, { method, mode: 'no-cors', headers: { 'Content-Type': type }, body });
          sent.push(r.type);
        }
      }
      // With a preflight: refused before it is sent.
      const preflighted = await fetch(`${B}/kept`, { method: 'DELETE' }).then(() => 'sent', (e: Error) => e.name);
      return { read, sent, preflighted };
    }, emu.url);
    expect(out).toEqual({ read: 'TypeError', sent: Array(10).fill('opaque'), preflighted: 'TypeError' });
    // A form posted to the admin API: the browser navigates to the answer, a 403 Status.
    const answer = page.waitForResponse((r) => r.url().endsWith('/_emulator/reset'));
    await page.evaluate((api) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = `${api}/_emulator/reset`;
      form.enctype = 'text/plain';
      const field = document.createElement('input');
      field.name = 'x';
      form.append(field);
      document.body.append(form);
      form.submit();
    }, emu.url);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect((await res.json()).reason).toBe('Forbidden');
    expect(await state()).toEqual(before);
    // Its reads (and the preflight, answered 405 without CORS headers) got through; no write did.
    expect(new Set(await loggedSince(logStart))).toEqual(new Set(['GET', 'OPTIONS']));
    await page.close();
  });

  it('answers a page whose domain re-resolves to 127.0.0.1 (DNS rebinding) only with 403s', async () => {
    const before = await state();
    const logStart = await logged();
    const port = new URL(emu.url).port;
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // The attacker's page, as first served from the attacker's address; everything after goes to 127.0.0.1.
    await page.route(`http://rebind.test:${port}/`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rebound</title>' }));
    await page.goto(`http://rebind.test:${port}/`);
    const out = await page.evaluate(async () => {
      // Same origin to the browser: it would let the page read every answer.
      const answers = [];
      for (const [method, path] of [['GET', '/apis/core.apoxy.dev/v1alpha2/backends'], ['GET', '/_emulator/snapshot'], ['GET', '/healthz'], ['POST', '/_emulator/reset'], ['DELETE', '/apis/core.apoxy.dev/v1alpha2/backends']]) {
        const r = await fetch(path, { method });
        const body = await r.json();
        answers.push(`${method} ${path} ${r.status} ${body.reason}`);
      }
      return answers;
    });
    expect(out).toEqual([
      'GET /apis/core.apoxy.dev/v1alpha2/backends 403 Forbidden',
      'GET /_emulator/snapshot 403 Forbidden',
      'GET /healthz 403 Forbidden',
      'POST /_emulator/reset 403 Forbidden',
      'DELETE /apis/core.apoxy.dev/v1alpha2/backends 403 Forbidden',
    ]);
    expect(await state()).toEqual(before);
    expect(await loggedSince(logStart)).toEqual([]);
    await page.close();
  });
});
