/**
 * The single-file executable (`npm run build:binary`, docs/single-executable.md) does what the
 * npm bins do, from a folder with nothing of the package in it: its files are SEA assets. Built
 * here when missing or built from other sources (a hash of them is kept beside it; CI builds it
 * first, in .ci/run); $APOXY_EMULATOR_BIN tests another one.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryIsStale, buildBinary, EXECUTABLE } from '../binary/build.js';
import { startServing } from './cli-process.js';

const run = promisify(execFile);
const version = (await import('../package.json', { with: { type: 'json' } })).default.version;

let bin: string;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  let built = process.env.APOXY_EMULATOR_BIN;
  if (!built) {
    if (binaryIsStale()) await buildBinary();
    built = EXECUTABLE;
  }
  // A copy in an empty folder, with a home of its own: nothing of the package is near it.
  dir = mkdtempSync(join(tmpdir(), 'apoxy-sea-'));
  bin = join(dir, 'apoxy-emulator');
  copyFileSync(built, bin);
  env = { PATH: process.env.PATH, HOME: dir };
}, 5 * 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exec(args: string[]) {
  try {
    const r = await run(bin, args, { cwd: dir, env, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const serve = (args: string[], storage = ['--in-memory']) => startServing(bin, ['serve', '--port', '0', ...storage, ...args], { cwd: dir, env });

describe('the single-file executable', () => {
  it('is one file that answers --version and --help for the emulator and the contract suite', async () => {
    expect((await exec(['--version'])).stdout).toBe(`apoxy-emulator ${version}\n`);
    expect((await exec(['contracts', '--version'])).stdout).toBe(`apoxy-contracts ${version}\n`);
    const help = await exec(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('apoxy-emulator contracts --help');
    expect(help.stdout).toContain('Usage: apoxy-emulator <command> [options]');
    expect((await exec(['contracts', '--help'])).stdout).toContain('apoxy-contracts run --target <base URL>');
    expect(readdirSync(dir).filter((f) => f !== '.cache' && f !== 'data')).toEqual(['apoxy-emulator']);
  }, 60_000);

  it('serves (its openapi.yaml and proto are inside it), seeds the shipped examples, and passes its own contract suite in both profiles', async () => {
    for (const profile of ['apoxy', 'documented']) {
      const emu = await serve(['--profile', profile]);
      try {
        const seeded = await exec(['seed', '--example', '--target', emu.url]);
        expect(seeded.stdout).toMatch(/^8 created, 0 updated, 0 unchanged, 0 failed$/m);
        const v2 = await fetch(`${emu.url}/openapi/v2`, { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
        expect(v2.status).toBe(200);
        expect((await v2.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
        const page = await fetch(`${emu.url}/_emulator/ui/`);
        expect(page.status).toBe(200); // the dashboard's built files are inside it too
        expect(await page.text()).toContain('app.js');
        expect((await fetch(`${emu.url}/_emulator/ui/app.js`)).headers.get('content-type')).toMatch(/javascript/);
        const suite = await exec(['contracts', 'run', '--target', emu.url, '--profile', profile, '--known-divergences', 'apoxy-server']);
        expect(suite.stdout, suite.stderr).toMatch(/\d+ passed, 0 failed/);
        expect(suite.code).toBe(0);
      } finally {
        expect(await emu.stop()).toBe(0);
      }
    }
  }, 240_000); // two contract runs, on a machine that runs other suites at once

  it('keeps its data in a file across a restart', async () => {
    const data = ['--data', join(dir, 'data', 'backends.json')];
    const first = await serve([], data);
    const created = await fetch(`${first.url}/apis/core.apoxy.dev/v1alpha2/backends`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'kept' }, spec: {} }) });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);
    const second = await serve([], data);
    try {
      expect((await fetch(`${second.url}/apis/core.apoxy.dev/v1alpha2/backends/kept`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('serves HTTPS with a self-signed certificate', async () => {
    const emu = await serve(['--tls']);
    try {
      expect(emu.url).toMatch(/^https:/);
      const suite = await exec(['contracts', 'run', '--target', emu.url, '--insecure', '--only', 'create']);
      expect(suite.stdout, suite.stderr).toMatch(/[1-9]\d* passed, 0 failed/);
    } finally {
      await emu.stop();
    }
  }, 120_000);
});
