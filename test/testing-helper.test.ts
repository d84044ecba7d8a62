import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, useEmulator } from '../emulator/testing.js';
import { BASE, backend } from './harness.js';
import { ROOT } from './cli-process.js';

describe('useEmulator with vitest', () => {
  const emu = useEmulator({ hooks: { beforeAll, beforeEach, afterAll }, faults: [{ id: 'once', match: { operation: 'list' }, times: 1, error: { code: 503 } }] });
  let lastRV = 0;

  it('serves on a free 127.0.0.1 port; the client sends plain objects as JSON', async () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await emu.client(BASE, { method: 'POST', body: backend('a') });
    expect(res.status).toBe(201);
    lastRV = Number((await res.json()).metadata.resourceVersion);
    expect((await emu.client(BASE)).status).toBe(503); // the start-up fault, fired once
    expect((await emu.client(BASE)).status).toBe(200);
    const sent = await emu.admin.requests({ method: 'POST' });
    expect(sent.map((r) => [r.path, r.status])).toEqual([[BASE, 201]]);
  });

  it('resets before each test: empty store and log, start-up faults re-armed, resourceVersion still rising', async () => {
    expect(lastRV, 'runs after the test above, whose state the reset must undo').toBeGreaterThan(0);
    expect(await emu.admin.requests()).toEqual([]);
    expect((await emu.client(BASE)).status).toBe(503); // re-armed
    const list = await (await emu.client(BASE)).json();
    expect(list.items).toEqual([]);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(lastRV);
    const report = await emu.admin.faults();
    expect(report.rules.map((r) => [r.id, r.fired])).toEqual([['once', 1]]);
  });

  it('gives the admin API and the emulator itself', async () => {
    const seeded = await emu.admin.seed([backend('s1'), backend('s2')]);
    expect(seeded.created).toBe(2);
    expect(emu.emulator.store.count('backends')).toBe(2);
    const snap = await emu.admin.snapshot();
    expect(Object.keys(snap.resources.backends)).toEqual(['s1', 's2']);
  });

  it('reads what a client sent and got back, and removes one fault rule', async () => {
    await emu.client(BASE, { method: 'POST', body: backend('seen') });
    const [post] = await emu.admin.requests({ method: 'POST', bodies: true });
    expect(JSON.parse(post.requestBody!.text!)).toEqual(backend('seen'));
    expect((await emu.admin.request(post.id)).responseBody!.text).toContain('"uid"');
    expect(await emu.admin.requests({ after: post.id, method: 'POST' })).toEqual([]);
    expect((await emu.admin.removeFault('once')).rules).toEqual([]);
  });
});

describe('reset with randomSeed and fixedClock: the same start before every test', () => {
  const seedDir = mkdtempSync(join(tmpdir(), 'apoxy-seed-'));
  writeFileSync(join(seedDir, 'seed.json'), JSON.stringify(backend('seeded')));
  afterAll(() => rmSync(seedDir, { recursive: true, force: true }));
  const emu = useEmulator({
    hooks: { beforeAll, beforeEach, afterAll },
    randomSeed: 7,
    fixedClock: '2026-01-01T00:00:00Z',
    restartResourceVersion: true,
    seed: join(seedDir, 'seed.json'),
  });
  const sessions: unknown[] = [];
  // Draws random numbers (a uid, a generateName suffix), moves the clock, bumps the resourceVersion.
  const session = async () => {
    const out = [];
    for (const body of [{ ...backend('x'), metadata: { generateName: 'gen-' } }, backend('named')]) {
      const res = await emu.client(BASE, { method: 'POST', body });
      expect(res.status).toBe(201);
      out.push(await res.json());
      emu.emulator.clock.advance(90_000);
    }
    out.push(await (await emu.client(BASE)).json());
    return out;
  };

  it('a first test', async () => {
    sessions.push(await session());
  });

  it('a second test sees exactly what the first saw: uids, names, timestamps, resourceVersions, the seeded object', async () => {
    sessions.push(await session());
    expect(sessions[1]).toEqual(sessions[0]);
    const [gen, named, list] = sessions[0] as any[];
    expect(gen.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(named.metadata.creationTimestamp).toBe('2026-01-01T00:01:30Z');
    expect(list.items.map((o: any) => o.metadata.name)).toEqual([gen.metadata.name, 'named', 'seeded']);
    expect(Number(named.metadata.resourceVersion)).toBeLessThan(5); // from 0 again: the seeded object, then these two
  });
});

describe('reset and the resourceVersion', () => {
  it('keeps it rising by default, and restarts it (ending open watches) only when asked', async () => {
    const emu = await startTestEmulator({ randomSeed: 1 });
    try {
      await emu.client(BASE, { method: 'POST', body: backend('a') });
      const rv = Number((await (await emu.client(BASE)).json()).metadata.resourceVersion);
      await emu.admin.reset();
      expect(Number((await (await emu.client(BASE)).json()).metadata.resourceVersion)).toBeGreaterThan(rv);

      const abort = new AbortController();
      const watch = await fetch(`${emu.url}${BASE}?watch=1`, { signal: abort.signal });
      const ended = watch.text().then(() => 'ended', () => 'aborted');
      expect(await emu.admin.reset({ restartResourceVersion: true })).toEqual({ resourceVersion: '0' });
      const stillOpen = new Promise((r) => setTimeout(() => r('still open'), 5000).unref());
      expect(await Promise.race([ended, stillOpen])).toBe('ended'); // its client must list again
      abort.abort();
      const res = await emu.client(BASE, { method: 'POST', body: backend('b') });
      expect((await res.json()).metadata.resourceVersion).toBe('1');

      const bad = await fetch(`${emu.url}/_emulator/reset?restartResourceVersion=yes`, { method: 'POST' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).message).toMatch(/restartResourceVersion must be true or false/);
    } finally {
      await emu.close();
    }
  });

  it('refuses to restart it over a data file, and deletes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-reset-'));
    const emu = await startTestEmulator({ dataFile: join(dir, 'data.json') });
    try {
      await emu.client(BASE, { method: 'POST', body: backend('kept') });
      const res = await fetch(`${emu.url}/_emulator/reset?restartResourceVersion=true`, { method: 'POST' });
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(/can only restart in memory/);
      expect((await (await emu.client(BASE)).json()).items.map((o: any) => o.metadata.name)).toEqual(['kept']);
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('useEmulator with node:test', () => {
  it('runs a node:test file that uses the helper', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-nodetest-'));
    const file = join(dir, 'example.test.ts');
    const testing = pathToFileURL(join(ROOT, 'emulator/testing.ts')).href;
    writeFileSync(
      file,
      `import { before, beforeEach, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { useEmulator } from ${JSON.stringify(testing)};
const emu = useEmulator({ hooks: { beforeAll: before, beforeEach, afterAll: after } });
const B = '/apis/core.apoxy.dev/v1alpha2/backends';
test('creates', async () => {
  const res = await emu.client(B, { method: 'POST', body: { metadata: { name: 'a' }, spec: {} } });
  assert.equal(res.status, 201);
});
test('starts empty again', async () => {
  const list = await (await emu.client(B)).json();
  assert.deepEqual(list.items, []);
});
`,
    );
    const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, '--test', '--test-reporter=tap', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('exit', (c) => resolve({ code: c, out }));
    });
    expect(out).toMatch(/# pass 2/);
    expect(code).toBe(0);
  });
});
