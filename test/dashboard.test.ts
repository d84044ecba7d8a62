/**
 * The dashboard at /_emulator/ui/, end to end in a real browser: Debian's Chromium, headless,
 * driven by playwright-core, against an emulator on 127.0.0.1. Writes made by another client
 * (this test process, through the API) must show up in the page; what the page does must show
 * up in the API. No page may log an error or request anything from another host.
 *
 * With CI=true these tests run and fail without Chromium; elsewhere a missing Chromium skips them
 * with a notice (`apt-get install chromium`).
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { buildDashboard } from '../scripts/build-dashboard.js';
import { CHROMIUM, chromiumAvailable, CI, guardedPage, launchChromium, screenshot, type GuardedPage } from './browser.js';

const haveChromium = chromiumAvailable();
if (!haveChromium && !CI) {
  console.warn(`\n*** test/dashboard.test.ts browser tests SKIPPED: ${CHROMIUM} not found (apt-get install chromium, or set CHROMIUM=/path; with CI=true this is a failure) ***\n`);
}

const B = '/apis/core.apoxy.dev/v1alpha2/backends';
const B1 = '/apis/core.apoxy.dev/v1alpha/backends';
/** Generous: a loaded machine is slow, and these are not timing tests. */
const SOON = { timeout: 10_000, interval: 100 };

function backend(name: string, extra: { labels?: Record<string, string>; protocol?: string; fqdn?: string } = {}) {
  return {
    apiVersion: 'core.apoxy.dev/v1alpha2',
    kind: 'Backend',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { endpoints: [{ fqdn: extra.fqdn ?? `${name}.example.com` }], protocol: extra.protocol ?? 'h2' },
  };
}

// The dashboard is built from its sources before anything is served: the test sees this tree.
beforeAll(async () => {
  await buildDashboard();
});

describe('the dashboard files', () => {
  let emulator: Emulator;
  let url: string;
  afterEach(async () => {
    await emulator?.close();
  });

  it('are served at /_emulator/ui/ with headers that keep the page to its own origin, without the API key', async () => {
    emulator = await createEmulator({ apiKey: 'k3y' });
    url = await emulator.listen(0);
    const page = await fetch(`${url}/_emulator/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    // Relative URLs only: every asset comes from this server.
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.sort()).toEqual(['app.css', 'app.js', 'data:,']);
    for (const asset of ['app.js', 'app.css']) {
      const res = await fetch(`${url}/_emulator/ui/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    }
    // The files hold no data; the data does need the key.
    expect((await fetch(`${url}/_emulator/requests`)).status).toBe(401);
    expect((await fetch(`${url}${B}`)).status).toBe(401);
    // Without the trailing slash, relative asset URLs would miss: redirected.
    const bare = await fetch(`${url}/_emulator/ui`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/_emulator/ui/');
    expect((await fetch(`${url}/_emulator/ui/nothing.js`)).status).toBe(404);
    // Only reading: anything else is refused, also with the key.
    const post = await fetch(`${url}/_emulator/ui/`, { method: 'POST', headers: { Authorization: 'Bearer k3y' } });
    expect(post.status).toBe(405);
  });

  it('are not served with ui: false (--no-ui)', async () => {
    emulator = await createEmulator({ ui: false });
    url = await emulator.listen(0);
    const res = await fetch(`${url}/_emulator/ui/`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe.skipIf(!haveChromium && !CI)('the dashboard in Chromium', () => {
  let browser: Browser;
  let emulator: Emulator;
  let url: string;
  let g: GuardedPage;
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  };

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true: Chromium is required for the dashboard tests and ${CHROMIUM} is missing (apt-get install chromium)`);
    browser = await launchChromium();
    emulator = await createEmulator({ validateResponses: true });
    url = await emulator.listen(0);
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    expect(emulator?.responseProblems ?? []).toEqual([]);
  });

  beforeEach(async () => {
    await emulator.reset();
    emulator.requests.clear();
    emulator.faults.clear();
  });

  afterEach(async () => {
    if (!g) return;
    await g.close();
    // Nothing but the emulator was asked for anything, and the page logged no error.
    expect(g.offOrigin).toEqual([]);
    expect(g.requested.every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(g.problems.filter((p) => !EXPECTED_HTTP_ERROR.test(p))).toEqual([]);
  });

  /**
   * Chromium logs every non-2xx fetch ("Failed to load resource: ... status of 422"); the tests
   * that provoke a rejection on purpose expect those, nothing else.
   */
  const EXPECTED_HTTP_ERROR = /^console error: Failed to load resource: the server responded with a status of (400|401|404|409|422|503) /;

  async function open(fragment = '#/backends'): Promise<Page> {
    g = await guardedPage(browser, url);
    await g.page.goto(`${url}/_emulator/ui/${fragment}`);
    await g.page.getByRole('main').getByRole('heading', { level: 2 }).waitFor(SOON);
    return g.page;
  }

  const backendsTable = (page: Page) => page.getByRole('table', { name: 'Backends' });
  const row = (page: Page, name: string) => backendsTable(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}\\b`) }) });

  it('follows writes made by another client: rows appear, change (marked) and disappear without a reload', async () => {
    await api(B, { method: 'POST', json: backend('before', { labels: { tier: 'edge' } }) });
    const page = await open();
    await page.getByText(/^Live: watching/).waitFor(SOON);
    await expect.poll(() => row(page, 'before').count(), SOON).toBe(1);

    // Created by another client.
    await api(B, { method: 'POST', json: backend('web', { labels: { tier: 'edge', team: 'a' } }) });
    const web = row(page, 'web');
    await expect.poll(() => web.innerText(), SOON).toMatch(/^web new\t/);
    expect(await web.innerText()).toContain('web.example.com');
    expect(await web.innerText()).toContain('tier=edge,team=a');
    await screenshot(page, 'backends');

    // Changed through the other API version: the same object.
    await api(`${B1}/web`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { protocol: 'tls' } }) });
    await expect.poll(() => web.innerText(), SOON).toMatch(/^web changed\t.*\ttls\t/);
    const rv = (await (await api(`${B}/web`)).json()).metadata.resourceVersion;
    await expect.poll(() => web.innerText(), SOON).toContain(rv);

    // Filters: by name here, by label selector on the server.
    await page.getByLabel('Name contains').fill('we');
    await expect.poll(() => backendsTable(page).getByRole('rowheader').allInnerTexts(), SOON).toEqual([expect.stringMatching(/^web/)]);
    await page.getByLabel('Name contains').fill('');
    await page.getByLabel('Label selector').fill('team=a');
    await expect.poll(() => backendsTable(page).getByRole('rowheader').allInnerTexts(), SOON).toEqual([expect.stringMatching(/^web/)]);
    await api(B, { method: 'POST', json: backend('other', { labels: { team: 'b' } }) });
    await api(B, { method: 'POST', json: backend('same-team', { labels: { team: 'a' } }) });
    await expect.poll(() => backendsTable(page).getByRole('rowheader').allInnerTexts(), SOON).toEqual([expect.stringMatching(/^same-team/), expect.stringMatching(/^web/)]);
    await page.getByLabel('Label selector').fill('');
    await expect.poll(() => backendsTable(page).getByRole('rowheader').count(), SOON).toBe(4);

    // One Backend: its YAML, who owns what, its history in this session.
    await web.getByRole('link', { name: 'web' }).click();
    const detail = page.getByRole('region', { name: 'Backend web' });
    await expect.poll(() => detail.getByRole('table', { name: 'Managed fields' }).innerText(), SOON).toMatch(/node[\s\S]*Update[\s\S]*spec\.protocol/);
    const history = detail.getByRole('list', { name: 'History in this session' });
    expect(await history.innerText()).toMatch(/MODIFIED at resourceVersion \d+[\s\S]*spec\.protocol: "h2" → "tls"/);
    expect(await history.innerText()).toMatch(/ADDED at resourceVersion/);
    const yaml = await detail.locator('pre[aria-labelledby="yaml-heading"]').innerText();
    expect(yaml).toMatch(/^apiVersion: core\.apoxy\.dev\/v1alpha2\nkind: Backend\nmetadata:\n {2}creationTimestamp: "/);
    expect(yaml).toContain('  protocol: tls\n');
    expect(yaml).toContain('  endpoints:\n  - fqdn: web.example.com\n');
    await screenshot(page, 'backend-detail');

    // Deleted by another client: the row goes.
    await api(`${B}/web`, { method: 'DELETE' });
    await expect.poll(() => row(page, 'web').count(), SOON).toBe(0);
    await expect.poll(() => history.innerText(), SOON).toMatch(/^\s*DELETED at resourceVersion/);
  });

  it('creates, edits and deletes by YAML (server-side apply, fieldManager=dashboard) and shows a rejected write field by field, keeping the text', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Create' }).click();
    const manifest = page.getByRole('textbox', { name: 'Manifest' });
    await manifest.fill('apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata:\n  name: made-here\n  labels: {app: shop}\nspec:\n  endpoints:\n  - fqdn: shop.example.com\n  protocol: h2\n');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => row(page, 'made-here').count(), SOON).toBe(1);
    const made = await (await api(`${B}/made-here`)).json();
    expect(made.spec).toEqual({ endpoints: [{ fqdn: 'shop.example.com' }], protocol: 'h2' });
    expect(made.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'dashboard', operation: 'Apply', apiVersion: 'core.apoxy.dev/v1alpha2' })]);
    const sent = emulator.requests.list({ method: 'PATCH' });
    expect(sent.map((r) => [r.path, r.query, r.status])).toEqual([[`${B}/made-here`, { fieldManager: 'dashboard' }, 201]]);

    // Edit: the editor starts from the object as it is.
    await page.getByRole('button', { name: 'Edit' }).click();
    expect(await manifest.inputValue()).toContain('name: made-here');
    await manifest.fill((await manifest.inputValue()).replace('protocol: h2', 'protocol: tls'));
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await (await api(`${B}/made-here`)).json()).spec.protocol, SOON).toBe('tls');

    // Rejected: two problems, each shown with its field; the text stays as typed.
    await page.getByRole('button', { name: 'Create' }).click();
    const invalid = 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata:\n  name: broken\nspec:\n  endpoints:\n  - ip: 192.0.2.1\n    fqdn: a.example.com\n  - ip: not-an-ip\n';
    await manifest.fill(invalid);
    await page.getByRole('button', { name: 'Apply' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The apply was rejected' });
    await alert.waitFor(SOON);
    // Exactly what the API answers to the same request.
    const direct = await api(`${B}/broken?fieldManager=dashboard`, { method: 'PATCH', headers: { 'content-type': 'application/apply-patch+yaml' }, body: invalid });
    expect(direct.status).toBe(422);
    const status = await direct.json();
    expect(status.details.causes.length).toBeGreaterThanOrEqual(2);
    const shown = await alert.innerText();
    expect(shown).toContain(`422 ${status.reason}`);
    expect(shown).toContain(status.message);
    const causes = alert.getByRole('table', { name: 'Causes' }).getByRole('row');
    for (const c of status.details.causes) {
      await expect.poll(() => causes.filter({ hasText: c.field }).filter({ hasText: c.message }).count()).toBe(1);
    }
    expect(await manifest.inputValue()).toBe(invalid);
    expect(await manifest.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'rejected-apply');

    // A conflict with another manager is a rejected write too; Force takes the field over.
    await api(`${B}/made-here`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json', 'user-agent': 'other-tool/1.0' }, body: JSON.stringify({ spec: { protocol: 'h2c' } }) });
    await row(page, 'made-here').getByRole('link').click();
    await expect.poll(() => row(page, 'made-here').innerText(), SOON).toContain('h2c');
    await page.getByRole('button', { name: 'Edit' }).click();
    await manifest.fill((await manifest.inputValue()).replace('protocol: h2c', 'protocol: h2'));
    await page.getByRole('button', { name: 'Apply' }).click();
    await alert.waitFor(SOON);
    expect(await alert.innerText()).toMatch(/409 Conflict[\s\S]*Apply failed with 1 conflict[\s\S]*\.spec\.protocol/);
    await page.getByRole('checkbox', { name: /Force/ }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await (await api(`${B}/made-here`)).json()).spec.protocol, SOON).toBe('h2');

    // Delete asks first: Cancel keeps it, Delete removes it.
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Backend made-here?' });
    await dialog.waitFor(SOON);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api(`${B}/made-here`)).status).toBe(200);
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row(page, 'made-here').count(), SOON).toBe(0);
    expect((await api(`${B}/made-here`)).status).toBe(404);
  });

  it('shows a request made by another client, with its bodies and without its credentials', async () => {
    const page = await open('#/requests');
    const secret = 'very-secret-token-1234';
    const created = await api(`${B}?fieldManager=someone`, { method: 'POST', headers: { Authorization: `Bearer ${secret}`, 'X-Apoxy-API-Key': secret, 'user-agent': 'my-client/2.0' }, json: backend('logged') });
    expect(created.status).toBe(201);
    const uid = (await created.json()).metadata.uid;
    const table = page.getByRole('table', { name: 'Requests' });
    const entry = table.getByRole('row').filter({ hasText: 'POST' }).filter({ hasText: `${B}?fieldManager=someone` });
    await entry.waitFor(SOON);
    expect(await entry.innerText()).toMatch(/201/);
    await entry.getByRole('link').click();
    const detail = page.getByRole('region', { name: /^Request \d+$/ });
    await detail.getByText('my-client/2.0').waitFor(SOON);
    const requestBody = await detail.locator('pre[aria-labelledby="body-request-body"]').innerText();
    expect(JSON.parse(requestBody)).toEqual(backend('logged'));
    const responseBody = await detail.locator('pre[aria-labelledby="body-response-body"]').innerText();
    expect(JSON.parse(responseBody).metadata.uid).toBe(uid);
    await screenshot(page, 'requests');
    // The log never held the credentials.
    const record = (await (await api(`/_emulator/requests?bodies=true`)).json()).items.find((r: { method: string }) => r.method === 'POST');
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(await page.content()).not.toContain(secret);

    // Filters by method, status class and path.
    await api(`${B}/missing`);
    await page.getByLabel('Status').selectOption('4xx');
    await expect.poll(() => table.getByRole('rowheader').allInnerTexts(), SOON).toEqual([`${B}/missing`]);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Method').selectOption('POST');
    await expect.poll(() => table.getByRole('rowheader').allInnerTexts(), SOON).toEqual([`${B}?fieldManager=someone`]);
  });

  it('says so when a request\'s body is no longer kept, rather than showing it empty', async () => {
    const first = await api(B, { method: 'POST', json: backend('early') });
    expect(first.status).toBe(201);
    const id = (await (await api('/_emulator/requests?method=POST')).json()).items[0].id;
    // The log keeps at most 8 MiB of bodies: 600 rejected creates with 16 KiB kept of each push the first out.
    const filler = 'x'.repeat(32 * 1024);
    for (let batch = 0; batch < 60; batch++) {
      await Promise.all(Array.from({ length: 10 }, () => api(B, { method: 'POST', headers: { 'content-type': 'application/json' }, body: filler })));
    }
    const record = await (await api(`/_emulator/requests/${id}`)).json();
    expect(record.requestBody).toMatchObject({ evicted: true });
    const page = await open(`#/requests/${id}`);
    const detail = page.getByRole('region', { name: `Request ${id}` });
    await detail.getByText(/no longer kept/).first().waitFor(SOON);
  });

  it('adds a fault rule that fires on the next matching API call, counts it, and removes it', async () => {
    const page = await open('#/faults');
    const rules = page.getByRole('table', { name: 'Fault rules' });
    const box = page.getByRole('textbox', { name: 'Fault rule (YAML or JSON)' });
    // Judged by the server, as the admin API judges it.
    await box.fill('id: bad\nerror: {code: 418}\n');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rejected = page.getByRole('alert').filter({ hasText: 'The rule was rejected' });
    await rejected.waitFor(SOON);
    const direct = await api('/_emulator/faults', { method: 'POST', json: { id: 'bad', error: { code: 418 } } });
    expect(await rejected.innerText()).toContain((await direct.json()).message);
    expect(await box.inputValue()).toBe('id: bad\nerror: {code: 418}\n');

    await box.fill('id: unavailable-create\nmatch: {operation: create, name: flaky}\ntimes: 1\nerror: {code: 503}\n');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const ruleRow = rules.getByRole('row').filter({ hasText: 'unavailable-create' });
    await ruleRow.waitFor(SOON);
    expect(await ruleRow.innerText()).toMatch(/operation=create, name=flaky[\s\S]*error 503[\s\S]*at most 1 time\s+0\s+0/);

    const first = await api(B, { method: 'POST', json: backend('flaky') });
    expect(first.status).toBe(503);
    expect((await first.json()).reason).toBe('ServiceUnavailable');
    expect((await api(B, { method: 'POST', json: backend('flaky') })).status).toBe(201);
    await expect.poll(() => ruleRow.innerText(), SOON).toMatch(/\s2\s+1\s*Remove/);
    await screenshot(page, 'faults');

    // The request log names the rule on the request it fired on.
    await page.getByRole('link', { name: 'Requests' }).click();
    const fired = page.getByRole('table', { name: 'Requests' }).getByRole('row').filter({ hasText: 'unavailable-create' });
    await fired.waitFor(SOON);
    expect(await fired.innerText()).toMatch(/POST[\s\S]*503/);

    await page.getByRole('link', { name: 'Faults and clock' }).click();
    await page.getByRole('button', { name: 'Remove rule unavailable-create' }).click();
    await expect.poll(async () => (await (await api('/_emulator/faults')).json()).rules, SOON).toEqual([]);
  });

  it('moves the clock, seeds, downloads a snapshot, resets and restores, asking before each destructive step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-dashboard-'));
    try {
      const page = await open('#/faults');
      const before = Date.parse((await (await api('/_emulator/clock')).json()).now);
      await page.getByLabel('Advance by (Go duration)').fill('2h');
      await page.getByRole('button', { name: 'Advance' }).click();
      await expect.poll(async () => Date.parse((await (await api('/_emulator/clock')).json()).now) - before, SOON).toBeGreaterThanOrEqual(2 * 3600_000);
      await page.getByLabel('Set to (RFC 3339)').fill('2030-05-01T00:00:00Z');
      await page.getByRole('button', { name: 'Set' }).click();
      await expect.poll(async () => (await (await api('/_emulator/clock')).json()).now.slice(0, 10), SOON).toBe('2030-05-01');

      await page.getByRole('link', { name: 'State' }).click();
      const manifests = 'apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: seeded-a}\nspec: {}\n---\napiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: seeded-b}\nspec: {}\n';
      await page.getByRole('textbox', { name: 'Manifests to seed' }).fill(manifests);
      await page.getByRole('button', { name: 'Seed…' }).click();
      await page.getByRole('dialog', { name: 'Seed these manifests?' }).getByRole('button', { name: 'Seed' }).click();
      await page.getByText('Seeded: 2 created, 0 updated, 0 unchanged, 0 failed.').waitFor(SOON);
      expect((await (await api(B)).json()).items.map((b: { metadata: { name: string } }) => b.metadata.name)).toEqual(['seeded-a', 'seeded-b']);
      await screenshot(page, 'state');

      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download snapshot' }).click();
      const download = await downloading;
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      const snapshot = JSON.parse(readFileSync(file, 'utf8'));
      expect(Object.keys(snapshot.resources.backends)).toEqual(['seeded-a', 'seeded-b']);

      // Reset asks; Escape cancels.
      await page.getByRole('button', { name: 'Reset…' }).click();
      const confirmReset = page.getByRole('dialog', { name: 'Reset the emulator?' });
      await confirmReset.waitFor(SOON);
      await page.keyboard.press('Escape');
      await confirmReset.waitFor({ state: 'hidden', ...SOON });
      expect((await (await api(B)).json()).items).toHaveLength(2);
      await page.getByRole('button', { name: 'Reset…' }).click();
      await confirmReset.getByRole('button', { name: 'Reset' }).click();
      await expect.poll(async () => (await (await api(B)).json()).items.length, SOON).toBe(0);

      // Restore the downloaded snapshot.
      writeFileSync(file, JSON.stringify(snapshot));
      await page.getByLabel('Restore from a snapshot file…').setInputFiles(file);
      await page.getByRole('dialog', { name: `Restore ${download.suggestedFilename()}?` }).getByRole('button', { name: 'Restore' }).click();
      await expect.poll(async () => (await (await api(B)).json()).items.map((b: { metadata: { uid: string } }) => b.metadata.uid), SOON).toEqual([
        snapshot.resources.backends['seeded-a'].metadata.uid,
        snapshot.resources.backends['seeded-b'].metadata.uid,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is usable by keyboard and names every control', async () => {
    await api(B, { method: 'POST', json: backend('kbd') });
    const page = await open();
    await row(page, 'kbd').waitFor(SOON);
    for (const view of ['#/backends/kbd', '#/requests', '#/faults', '#/state']) {
      await page.goto(`${url}/_emulator/ui/${view}`);
      await page.getByRole('main').getByRole('heading', { level: 2 }).waitFor(SOON);
      const tree = await page.locator('body').ariaSnapshot();
      // Every button, link, text box, list box, check box and table has an accessible name.
      expect(tree.match(/^\s*- (button|link|textbox|searchbox|combobox|checkbox|table)\s*(:.*)?$/gm) ?? []).toEqual([]);
    }
    // Create by keyboard alone: Tab to Create, type, Ctrl+Enter applies.
    await page.goto(`${url}/_emulator/ui/#/backends`);
    await row(page, 'kbd').waitFor(SOON);
    await page.getByRole('button', { name: 'Create' }).focus();
    await page.keyboard.press('Enter');
    const manifest = page.getByRole('textbox', { name: 'Manifest' });
    await manifest.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: typed}\nspec: {}\n');
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await api(`${B}/typed`)).status, SOON).toBe(200);
    // The views are links in a navigation landmark, reachable with Tab.
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Backends', 'Requests', 'Faults and clock', 'State']);
    expect(await nav.getByRole('link', { name: 'Backends' }).getAttribute('aria-current')).toBe('page');
  });
});

describe.skipIf(!haveChromium && !CI)('the dashboard with --api-key', () => {
  let browser: Browser;
  let emulator: Emulator;
  let g: GuardedPage | undefined;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true: Chromium is required for the dashboard tests and ${CHROMIUM} is missing`);
    browser = await launchChromium();
    emulator = await createEmulator({ apiKey: 'the-right-key' });
  });

  afterAll(async () => {
    await g?.close();
    await browser?.close();
    await emulator?.close();
  });

  it('asks for the key once and sends it as a bearer token', async () => {
    const url = await emulator.listen(0);
    await fetch(`${url}${B}`, { method: 'POST', headers: { authorization: 'Bearer the-right-key', 'content-type': 'application/json' }, body: JSON.stringify(backend('guarded')) });
    g = await guardedPage(browser, url);
    const sentAuth: (string | undefined)[] = [];
    g.page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/apis/')) sentAuth.push(r.headers().authorization);
    });
    await g.page.goto(`${url}/_emulator/ui/`);
    const ask = g.page.getByRole('dialog', { name: 'API key' });
    await ask.waitFor(SOON);
    await ask.getByLabel('Key').fill('a-wrong-key');
    await ask.getByRole('button', { name: 'Use key' }).click();
    await ask.getByRole('alert').filter({ hasText: 'refused' }).waitFor(SOON);
    await ask.getByLabel('Key').fill('the-right-key');
    await ask.getByRole('button', { name: 'Use key' }).click();
    await g.page.getByRole('table', { name: 'Backends' }).getByRole('rowheader', { name: 'guarded' }).waitFor(SOON);
    // Once: other views and a reload do not ask again.
    await g.page.getByRole('link', { name: 'Requests' }).click();
    await g.page.getByRole('table', { name: 'Requests' }).getByRole('row').nth(1).waitFor(SOON);
    await g.page.reload();
    await g.page.getByText(/^Live: /).first().waitFor(SOON);
    expect(await ask.count()).toBe(0);
    expect(sentAuth.filter((a) => a !== undefined).every((a) => a === 'Bearer the-right-key' || a === 'Bearer a-wrong-key')).toBe(true);
    expect(sentAuth.at(-1)).toBe('Bearer the-right-key');
    expect(g.offOrigin).toEqual([]);
    expect(g.problems.filter((p) => !/status of 401 /.test(p))).toEqual([]);
  });
});
