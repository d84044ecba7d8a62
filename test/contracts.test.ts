/**
 * The contract suite against the emulator: in-process and as a separate process through its
 * CLI, under both profiles; the CLI's report, --list, --junit/--json, known divergences, diff.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { startCli, type Running } from './cli-process.js';
import { allBackends, ALL_SCENARIOS, explain, inProcess, runSuite } from './contracts-run.js';
import { selfSignedPems } from '../emulator/http/tls.js';
import { startProxy, type Proxy } from './contracts-proxy.js';
import type { RunReport } from '../contracts/runner/run.js';
import { readContractDocument } from '../contracts/openapi/document.js';

const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const CONTRACTS = fileURLToPath(new URL('../contracts/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function contracts(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, CONTRACTS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What a run against an emulator skips, and why: only the 401 scenario, which needs a target that
 * requires credentials (--expect-auth). Anything else skipped is a scenario that proves nothing.
 */
const EXPECTED_SKIPS = { unauthenticated: 'requires authentication: the run was not told the target requires credentials (pass --expect-auth when it does)' };

describe.each(['apoxy', 'documented'] as const)('in-process emulator, profile %s', (profile) => {
  let emulator: Emulator;
  let url: string;
  beforeAll(async () => {
    emulator = await createEmulator({ profile });
    url = await emulator.listen(0);
  });
  afterAll(() => emulator.close());

  it('passes every scenario but the expected skips, and leaves nothing behind', async () => {
    const report = await runSuite(url, { profile });
    expect(report.counts.failed, explain(report)).toBe(0);
    expect(ALL_SCENARIOS.length).toBeGreaterThanOrEqual(31); // the loops below are over something
    expect(report.results).toHaveLength(ALL_SCENARIOS.length);
    const skipped = Object.fromEntries(report.results.filter((x) => x.outcome === 'skipped').map((x) => [x.id, x.skipReason]));
    expect(skipped).toEqual(EXPECTED_SKIPS);
    expect(report.counts).toEqual({ passed: ALL_SCENARIOS.length - Object.keys(EXPECTED_SKIPS).length, failed: 0, skipped: Object.keys(EXPECTED_SKIPS).length, known: 0 });
    expect(report.cleanup.remaining).toEqual([]);
    expect(await allBackends(url)).toEqual([]);
    // Every operation of openapi.yaml was exercised.
    expect(report.coverage.map((c) => c.operationId).sort()).toEqual(readContractDocument().operations.map((o) => o.operationId).sort());
    for (const c of report.coverage) expect(c.exercised.length, c.operationId).toBeGreaterThan(0);
  });
});

describe('apoxy-contracts against emulators started as separate processes through their CLI', () => {
  let apoxy: Running;
  let documented: Running;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-'));
    [apoxy, documented] = await Promise.all([
      startCli(['serve', '--port', '0', '--in-memory']),
      startCli(['serve', '--port', '0', '--in-memory', '--profile', 'documented']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([apoxy?.stop(), documented?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every scenario under both profiles: one line each, coverage, a summary, JUnit and JSON, exit 0', async () => {
    const junit = join(dir, 'a.xml');
    const json = join(dir, 'a.json');
    // The executable once (as a user runs it); the other profile through main() in this process.
    const [a, d] = await Promise.all([
      contracts(['run', '--target', apoxy.url, '--junit', junit, '--json', json, '--header', 'X-Apoxy-API-Key: test-key']),
      inProcess(['run', '--target', documented.url, '--profile', 'documented']),
    ]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    for (const s of ALL_SCENARIOS) {
      const skip = EXPECTED_SKIPS[s.id as keyof typeof EXPECTED_SKIPS];
      expect(a.stdout).toMatch(new RegExp(skip ? `^SKIP +${s.id} — ${skip.replace(/[()]/g, '\\$&')}$` : `^PASS +${s.id} \\(\\d+ ms\\)$`, 'm'));
    }
    expect(a.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped in \d+ ms$/m);
    expect(d.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped in \d+ ms$/m);
    expect(a.stdout).toMatch(/Operation coverage/);
    expect(a.stdout).toMatch(/POST +createCoreApoxyDevV1alpha2Backend +exercised 201,.*; not /);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites');
    expect(xml.match(/<testcase /g)).toHaveLength(ALL_SCENARIOS.length);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.counts.failed).toBe(0);
    // The extra header was sent, and the report does not leak it.
    expect(report.results[0].exchanges[0].exchange.requestHeaders['X-Apoxy-API-Key']).toBe('<redacted>');
    expect(readFileSync(json, 'utf8')).not.toContain('test-key');
  });

  it('fails with exit 1 when a server breaks the contract, and reports request, expectation and response', async () => {
    // The documented emulator held to profile apoxy: it rejects what the real server accepts.
    const r = await inProcess(['run', '--target', documented.url, '--profile', 'apoxy', '--only', 'validation-accepted']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL +validation-accepted/m);
    expect(r.stdout).toContain('[expected_status] step "no spec at all": expected status 201, got 422');
    expect(r.stdout).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/apis\/core\.apoxy\.dev\/v1alpha2\/backends/);
    expect(r.stdout).toMatch(/< 422 application\/json/);
    expect(r.stdout).toMatch(/^0 passed, 1 failed, 0 skipped/m);
  });

  it('reports listed divergences as known and passes', async () => {
    // The apoxy-profile emulator behaves as the real server does; held to the documented
    // contract it fails exactly where the shipped divergences file says the real server does.
    const plain = await inProcess(['run', '--target', apoxy.url, '--profile', 'documented', '--only', 'profile,defaults,create']);
    expect(plain.code).toBe(1);
    const shipped = await inProcess(['run', '--target', apoxy.url, '--profile', 'documented', '--only', 'profile,defaults,create', '--known-divergences', 'contracts/known-divergences/apoxy-server.yaml']);
    expect(shipped.code, shipped.stdout).toBe(0);
    expect(shipped.stdout).toMatch(/^KNOWN +documented-defaults/m);
    expect(shipped.stdout).toMatch(/^KNOWN +validation-accepted/m);
    expect(shipped.stdout).toMatch(/no dnsCacheConfig defaults/);
    const file = join(dir, 'div.yaml');
    writeFileSync(file, 'target: test\ndivergences:\n  - scenario: validation-accepted\n    step: no spec at all\n    observed: "422"\n    reason: this server enforces required fields\n  - scenario: validation-accepted\n    step: unknown protocol is lowercased and kept\n    observed: "422"\n    reason: enum enforced\n');
    const k = await inProcess(['run', '--target', documented.url, '--only', 'validation-accepted', '--known-divergences', file]);
    expect(k.code, k.stdout).toBe(0);
    expect(k.stdout).toMatch(/^KNOWN +validation-accepted/m);
    expect(k.stdout).toMatch(/known: 422 \(this server enforces required fields\)/);
    expect(k.stdout).toMatch(/^0 passed, 0 failed, 0 skipped, 1 known/m);
  });

  it('diff: two servers that agree show no differences; apoxy vs documented differ where the profiles do', async () => {
    const same = await inProcess(['diff', '--a', apoxy.url, '--b', apoxy.url, '--only', 'create,patch,list-paging,table,watch,generate-name']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain('No differences');
    const d = await inProcess(['diff', '--a', apoxy.url, '--b', documented.url, '--only', 'documented-defaults,create']);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/^documented-defaults \/ create with an empty dynamicProxy \/ body\.spec\.dynamicProxy\.dnsCacheConfig$/m);
    expect(d.stdout).not.toMatch(/^create \//m);
  });
});

describe('credentials', () => {
  let emulator: Emulator;
  let proxy: Proxy;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-auth-'));
    emulator = await createEmulator({});
    proxy = await startProxy(await emulator.listen(0));
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends --token, --header and a kubeconfig context (server, token) with every request', async () => {
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: other',
      'clusters:', `  - name: local`, `    cluster: { server: "${proxy.url}" }`, '  - name: nowhere', '    cluster: { server: "http://127.0.0.1:1" }',
      'users:', '  - name: dev', '    user: { token: kube-token }',
      'contexts:', '  - name: apoxy', '    context: { cluster: local, user: dev }', '  - name: other', '    context: { cluster: nowhere, user: dev }',
    ].join('\n'));
    const k = await inProcess(['run', '--kubeconfig', kubeconfig, '--context', 'apoxy', '--only', 'create', '--header', 'X-Apoxy-Project-Id: p1']);
    expect(k.code, k.stdout + k.stderr).toBe(0);
    const fromKube = proxy.requests.splice(0);
    expect(fromKube.length).toBeGreaterThan(3);
    for (const r of fromKube) {
      expect(r.headers.authorization).toBe('Bearer kube-token');
      expect(r.headers['x-apoxy-project-id']).toBe('p1');
    }
    const t = await inProcess(['run', '--target', proxy.url, '--token', 'abc', '--only', 'create']);
    expect(t.code, t.stdout + t.stderr).toBe(0);
    const fromToken = proxy.requests.splice(0);
    expect(fromToken.length).toBeGreaterThan(3);
    for (const r of fromToken) expect(r.headers.authorization).toBe('Bearer abc');
  });
});

describe('a target that requires credentials (--expect-auth)', () => {
  const KEY = 'contract-key';
  let secured: Emulator;
  let open: Emulator;
  let proxy: Proxy;
  let openUrl: string;
  beforeAll(async () => {
    secured = await createEmulator({ apiKey: KEY });
    proxy = await startProxy(await secured.listen(0));
    open = await createEmulator({});
    openUrl = await open.listen(0);
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([secured.close(), open.close()]);
  });
  const operationLines = (out: string) => out.split('\n').filter((l) => /^ {2}(GET|POST|PUT|PATCH|DELETE) +\w+ +exercised /.test(l));

  it('runs the 401 scenario: its anonymous requests carry no credential header, and every operation answers 401', async () => {
    proxy.requests.splice(0);
    const r = await inProcess(['run', '--target', proxy.url, '--header', `X-Apoxy-API-Key: ${KEY}`, '--header', 'X-Apoxy-Project-Id: p1', '--expect-auth']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS +unauthenticated /m);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed, 0 skipped in/m);
    const ops = operationLines(r.stdout);
    expect(ops).toHaveLength(20); // ten per version, v1alpha2 and v1alpha
    for (const line of ops) expect(line).toMatch(/exercised [\d,]*\b401\b/);
    const anonymous = proxy.requests.filter((q) => q.headers['x-apoxy-api-key'] === undefined);
    expect(anonymous).toHaveLength(20);
    for (const q of anonymous) {
      expect(q.headers['x-apoxy-project-id']).toBe('p1');
      expect(q.headers.authorization).toBeUndefined();
    }
    const left = await fetch(`${proxy.url}/apis/core.apoxy.dev/v1alpha2/backends`, { headers: { 'X-Apoxy-API-Key': KEY } });
    expect(((await left.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('without --expect-auth the 401 scenario is skipped, with the reason', async () => {
    const r = await inProcess(['run', '--target', proxy.url, '--token', KEY, '--only', 'unauthenticated']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^SKIP +unauthenticated — requires authentication: .*--expect-auth/m);
    const ops = operationLines(r.stdout);
    expect(ops).toHaveLength(20);
    for (const line of ops) expect(line).toMatch(/exercised -;/);
  });

  it('fails a target that serves requests without credentials, and leaves nothing behind', async () => {
    const r = await inProcess(['run', '--target', openUrl, '--expect-auth', '--only', 'unauthenticated']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[expected_status\] step "create": expected status 401, got 201/);
    expect(await allBackends(openUrl)).toEqual([]);
  });
});

describe('a step timeoutMs and an oversized body', () => {
  let emulator: Emulator;
  let proxy: Proxy;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-timeout-'));
    emulator = await createEmulator({});
    // The answer to a list at a future resourceVersion comes 1.5 s late, as the watch cache's wait makes it.
    proxy = await startProxy(await emulator.listen(0), {
      request: (q) => (q.url.searchParams.get('resourceVersion') === '9007199254740991' ? new Promise((r) => setTimeout(r, 1500)) : undefined),
    });
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits as long as the step says when that is longer than --timeout', async () => {
    const r = await inProcess(['run', '--target', proxy.url, '--timeout', '1000', '--only', 'resource-version-param']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The same scenario without the step's timeoutMs gives up after --timeout.
    const copy = join(dir, 'scenarios');
    mkdirSync(copy);
    const text = readFileSync(fileURLToPath(new URL('../contracts/scenarios/resource-version-param.yaml', import.meta.url)), 'utf8');
    expect(text).toContain('    timeoutMs: 10000\n');
    writeFileSync(join(copy, 'rv.yaml'), text.replace('    timeoutMs: 10000\n', ''));
    const short = await inProcess(['run', '--target', proxy.url, '--timeout', '1000', '--scenarios', copy]);
    expect(short.code).toBe(1);
    expect(short.stdout).toMatch(/\[transport\] step "-": GET .*resourceVersion=9007199254740991/);
  });

  it('sends a body over 3 MiB from ${filler:N} and records it clipped', async () => {
    const json = join(dir, 'r.json');
    const r = await inProcess(['run', '--target', proxy.url, '--only', 'request-too-large', '--json', json]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    const big = report.results[0].exchanges.filter((e) => e.exchange.status === 413);
    expect(big).toHaveLength(5);
    for (const e of big) {
      expect(e.exchange.requestBody!.length).toBeLessThan(2000);
      expect(e.exchange.requestBody).toMatch(/… \(\d{7} characters in all\)$/);
    }
    const sent = proxy.requests.filter((q) => q.body.length > 3 * 1024 * 1024);
    expect(sent).toHaveLength(5);
  });
});

describe('TLS', () => {
  let tlsCert: string;
  let emulator: Emulator;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-tls-'));
    const pems = await selfSignedPems();
    tlsCert = pems.cert;
    emulator = await createEmulator({ tls: pems });
    url = await emulator.listen(0);
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a self-signed certificate unless --insecure, and trusts a kubeconfig CA', async () => {
    expect(url).toMatch(/^https:/);
    const strict = await inProcess(['run', '--target', url, '--only', 'create']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/\[transport\]/);
    const insecure = await inProcess(['run', '--target', url, '--insecure', '--only', 'create']);
    expect(insecure.code, insecure.stdout).toBe(0);
    const kubeconfig = join(dir, 'config');
    const ca = Buffer.from(tlsCert).toString('base64');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: tls',
      'clusters:', '  - name: tls', `    cluster: { server: "${url.replace('127.0.0.1', 'localhost')}", certificate-authority-data: ${ca} }`,
      'users:', '  - name: u', '    user: {}',
      'contexts:', '  - name: tls', '    context: { cluster: tls, user: u }',
    ].join('\n'));
    const viaCa = await inProcess(['run', '--kubeconfig', kubeconfig, '--only', 'create']);
    expect(viaCa.code, viaCa.stdout).toBe(0);
  });
});

describe('apoxy-contracts without a server', () => {
  it('--list prints every scenario and the requests it would send, with the run label selector', async () => {
    const r = await inProcess(['--list']);
    expect(r.code, r.stderr).toBe(0);
    for (const s of ALL_SCENARIOS) expect(r.stdout).toMatch(new RegExp(`^${s.id} \\[`, 'm'));
    expect(r.stdout).toMatch(/delete the edge tier: DELETE \/apis\/core\.apoxy\.dev\/v1alpha2\/backends\?labelSelector=tier%3Dedge%2Ccontracts\.apoxy\.dev%2Frun%3Dct-RUNID/);
    expect(r.stdout).toContain('"contracts.apoxy.dev/run":"ct-RUNID"');
  });

  it('--help exits 0; bad usage exits 2 with a message', async () => {
    expect((await inProcess(['--help'])).code).toBe(0);
    const noTarget = await inProcess(['run']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--target');
    expect((await inProcess(['run', '--target', 'http://127.0.0.1:1', '--profile', 'nope'])).code).toBe(2);
    expect((await inProcess(['run', '--bogus'])).code).toBe(2);
    const badOnly = await inProcess(['--list', '--only', 'no-such-thing']);
    expect(badOnly.code).toBe(1);
    expect(badOnly.stderr).toContain('matches no scenario');
  });
});
