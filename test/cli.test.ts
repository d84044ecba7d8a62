import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, startCli } from './cli-process.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'apoxy-emu-'));
const B = '/apis/core.apoxy.dev/v1alpha2/backends';
const json = { 'Content-Type': 'application/json' };

describe('apoxy-emulator CLI (a real process on a real port)', () => {
  it('serves, persists across a restart, and exits 0 on SIGTERM', async () => {
    const data = join(tmp(), 'backends.json');
    const first = await startCli(['serve', '--port', '0', '--data', data]);
    expect(first.stdout[0]).toMatch(new RegExp(`^apoxy-emulator listening on http://127\\.0\\.0\\.1:(\\d+) \\(profile apoxy, data ${data.replace(/[.]/g, '\\.')}\\), dashboard http://127\\.0\\.0\\.1:\\1/_emulator/ui/$`));
    const created = await fetch(first.url + B, { method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'keep' }, spec: { protocol: 'H2' } }) });
    expect(created.status).toBe(201);
    const rv = (await created.json()).metadata.resourceVersion;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startCli(['serve', '--port', '0', '--data', data]);
    const got = await fetch(`${second.url}${B}/keep`);
    expect(got.status).toBe(200);
    const body = await got.json();
    expect(body.spec.protocol).toBe('h2');
    expect(body.metadata.resourceVersion).toBe(rv);
    const next = await fetch(second.url + B, { method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'after' } }) });
    expect(Number((await next.json()).metadata.resourceVersion)).toBe(Number(rv) + 1); // the counter is persisted
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('--no-ui leaves the dashboard out, and the start-up line says nothing of it', async () => {
    const cli = await startCli(['serve', '--port', '0', '--in-memory', '--no-ui']);
    try {
      expect(cli.stdout[0]).toMatch(/^apoxy-emulator listening on http:\/\/127\.0\.0\.1:\d+ \(profile apoxy, data in memory\)$/);
      expect((await fetch(`${cli.url}/_emulator/ui/`)).status).toBe(404);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('refuses a data file that is not emulator data, naming it and leaving it untouched', async () => {
    const data = join(tmp(), 'other.json');
    writeFileSync(data, '{"users": []}');
    const r = await runCli(['serve', '--port', '0', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${data} is not valid emulator data`);
    expect(readFileSync(data, 'utf8')).toBe('{"users": []}');
    writeFileSync(data, '{"trunc');
    const r2 = await runCli(['serve', '--port', '0', '--data', data]);
    expect(r2.code).toBe(1);
    expect(readFileSync(data, 'utf8')).toBe('{"trunc');
  });

  it('refuses a second emulator on a data file in use', async () => {
    const data = join(tmp(), 'b.json');
    const first = await startCli(['serve', '--port', '0', '--data', data]);
    const r = await runCli(['serve', '--port', '0', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is in use by another apoxy-emulator/);
    await first.stop();
  });

  it('--in-memory keeps nothing; --seed loads manifests from a folder', async () => {
    const dir = tmp();
    const run = await startCli(['serve', '--port', '0', '--in-memory', '--seed', join(ROOT, 'fixtures/valid')], { cwd: dir });
    expect(run.stdout[0]).toContain('data in memory');
    const list = await (await fetch(run.url + B)).json();
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('multi-two');
    expect(list.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'multi-two').spec.protocol).toBe('h2');
    await run.stop();
    expect(existsSync(join(dir, '.data'))).toBe(false);
  });

  it('bad flags: a clear message and exit 2', async () => {
    for (const args of [['serve', '--port', 'abc'], ['serve', '--profile', 'x'], ['serve', '--nope'], ['frobnicate']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^apoxy-emulator: /);
    }
    const help = await runCli(['serve', '--help']);
    expect(help.code).toBe(0);
    // A --seed path that is missing or not YAML: a message naming it, no stack trace.
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-seed-'));
    writeFileSync(join(dir, 'broken.yaml'), 'metadata: [unclosed\n');
    for (const seed of [join(dir, 'missing.yaml'), join(dir, 'broken.yaml')]) {
      const r = await runCli(['serve', '--port', '0', '--in-memory', '--seed', seed]);
      expect(r.code, seed).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^apoxy-emulator: --seed: .*${seed.replace(/[.]/g, '\\.')}`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    rmSync(dir, { recursive: true, force: true });
    expect(help.stdout).toContain('--profile');
  });
});
