/**
 * Safe against production: every object a run creates carries the run prefix and label; lists,
 * watches and Delete All carry the run's label selector; everything the run created is deleted
 * at the end, also after a failing scenario and after SIGINT; nothing else is read or changed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { loadScenarios } from '../contracts/runner/scenarios.js';
import { editJson, startProxy } from './contracts-proxy.js';
import { allBackends, explain, failedChecks, runSuite } from './contracts-run.js';

const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';
/** The Backend collection in any served version (v1alpha2, v1alpha): the same objects. */
const COLLECTION = /^\/apis\/core\.apoxy\.dev\/[^/]+\/backends(?=\/|$)/;
const RUN_LABEL = 'contracts.apoxy.dev/run';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTRACTS = fileURLToPath(new URL('../contracts/cli.ts', import.meta.url));

/** Objects the suite did not create: production's. One even looks like another run's. */
const PRE_EXISTING = [
  { apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'prod-web', labels: { tier: 'edge' } }, spec: { endpoints: [{ fqdn: 'prod.example.com' }], protocol: 'h2' } },
  { apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'prod-held', labels: { tier: 'core' }, finalizers: ['example.com/keep'] }, spec: { endpoints: [{ ip: '10.9.9.9' }], protocol: '' } },
  { apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'ct-othrrun1-s0-web', labels: { [RUN_LABEL]: 'ct-othrrun1', 'contracts.apoxy.dev/scenario': 's0' } }, spec: { endpoints: [{ fqdn: 'o.example.com' }], protocol: '' } },
];

function snapshot(items: Array<{ metadata: Record<string, any> }>) {
  return Object.fromEntries(items.map((i) => [i.metadata.name, i.metadata.resourceVersion]));
}

describe('production safety', () => {
  let emulator: Emulator;
  let url: string;
  let before: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-safety-'));
    emulator = await createEmulator({});
    url = await emulator.listen(0);
    await emulator.seed(PRE_EXISTING);
    before = snapshot(await allBackends(url));
    expect(Object.keys(before)).toHaveLength(3);
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a whole run only touches its own objects, scopes every list, watch and Delete All, and leaves nothing', async () => {
    const proxy = await startProxy(url);
    try {
      const report = await runSuite(proxy.url);
      expect(report.counts.failed, explain(report)).toBe(0);
      const prefix = `${report.runId}-`;
      const selector = `${RUN_LABEL}=${report.runId}`;
      const sent = proxy.requests.filter((r) => COLLECTION.test(r.url.pathname));
      expect(sent.length).toBeGreaterThan(100);
      expect(new Set(sent.map((r) => COLLECTION.exec(r.url.pathname)![0]))).toEqual(new Set([BASE, '/apis/core.apoxy.dev/v1alpha/backends']));
      for (const r of sent) {
        const what = `${r.method} ${r.url.pathname}${r.url.search}`;
        const collection = COLLECTION.exec(r.url.pathname)![0];
        if (r.url.pathname === collection) {
          if (r.method === 'GET' || r.method === 'DELETE') {
            expect(r.url.searchParams.get('labelSelector')?.split(','), what).toContain(selector);
          } else {
            expect(r.method, what).toBe('POST');
            let body: any;
            try { body = JSON.parse(r.body); } catch { body = undefined; }
            if (body) {
              expect((body.metadata.name ?? body.metadata.generateName ?? '').startsWith(prefix) || !(body.metadata.name ?? body.metadata.generateName), what).toBe(true);
              if (body.metadata.name || body.metadata.generateName) expect(body.metadata.labels?.[RUN_LABEL], what).toBe(report.runId);
            } else {
              expect(r.body, what).toContain(prefix);
            }
          }
        } else {
          expect(decodeURIComponent(r.url.pathname.slice(collection.length + 1)).startsWith(prefix), what).toBe(true);
        }
      }
      // Delete All was sent, and only ever with the run's selector (checked above).
      expect(sent.some((r) => r.method === 'DELETE' && r.url.pathname === BASE)).toBe(true);
      expect(snapshot(await allBackends(url))).toEqual(before);
    } finally {
      await proxy.close();
    }
  });

  it('cleans up after failing scenarios, finalizers included', async () => {
    // Every create answered with a lowercase-breaking protocol: most scenarios fail mid-way.
    const proxy = await startProxy(url, { response: (r, res) => { if (r.method === 'POST' && res.status === 201) editJson(res, (b) => { if (b.spec) b.spec.protocol = 'BROKEN'; }); } });
    try {
      const report = await runSuite(proxy.url, { only: ['create', 'finalizers', 'list-selectors', 'status-subresource'] });
      expect(report.counts.failed).toBeGreaterThan(0);
      expect(snapshot(await allBackends(url))).toEqual(before);
    } finally {
      await proxy.close();
    }
  });

  it('refuses, without sending it, a scenario request that names an object outside the run', async () => {
    const sdir = join(dir, 'unsafe');
    rmSync(sdir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sdir);
    writeFileSync(join(sdir, 'unsafe.yaml'), [
      'id: unsafe', 'title: touches production', 'steps:',
      '  - name: delete prod through v1alpha', '    request: { method: DELETE, path: "${base:v1alpha}/prod-web" }', '    expect: { status: 200 }',
      '  - name: delete prod', '    request: { method: DELETE, path: "${base}/prod-web" }', '    expect: { status: 200 }',
      '  - name: create prod-like', '    request: { method: POST, path: "${base}", body: { metadata: { name: prod-new }, spec: {} } }', '    expect: { status: 201 }',
    ].join('\n'));
    const proxy = await startProxy(url);
    try {
      const report = await runSuite(proxy.url, { scenarios: loadScenarios([sdir]) });
      expect(failedChecks(report)).toEqual(['unsafe_request']);
      // The same guard holds in every version of the collection.
      expect(report.results[0].failures[0].message).toContain('DELETE /apis/core.apoxy.dev/v1alpha/backends/prod-web names an object outside the run prefix');
      expect(proxy.requests.filter((r) => r.url.pathname.endsWith('/prod-web') || r.method === 'POST')).toEqual([]);
      expect(snapshot(await allBackends(url))).toEqual(before);
    } finally {
      await proxy.close();
    }
  });

  it('after SIGINT mid-run, deletes what the run created (finalizers too) and exits 130', async () => {
    const sdir = join(dir, 'slow');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sdir, { recursive: true });
    writeFileSync(join(sdir, 'slow.yaml'), [
      'id: slow', 'title: creates objects, then waits long for an event that never comes', 'steps:',
      '  - name: create held', '    request: { method: POST, path: "${base}", body: { metadata: { name: "${name:held}", finalizers: [contracts.apoxy.dev/hold] }, spec: {} } }', '    expect: { status: 201 }',
      '  - name: create plain', '    request: { method: POST, path: "${base}", body: { metadata: { name: "${name:plain}" }, spec: {} } }', '    expect: { status: 201 }',
      '  - name: wait', '    watch: { timeoutMs: 60000, then: [], events: [{ type: DELETED }, { type: DELETED }, { type: DELETED }] }',
    ].join('\n'));
    // node --import tsx (not the tsx wrapper, which handles SIGINT itself): the signal reaches apoxy-contracts.
    const child = spawn(process.execPath, ['--import', 'tsx', CONTRACTS, 'run', '--target', url, '--scenarios', sdir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      // Wait until the run's objects exist on the server, then interrupt.
      for (let i = 0; i < 200; i++) {
        if ((await allBackends(url)).length >= 5) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await allBackends(url)).length, out).toBe(5);
      child.kill('SIGINT');
      expect(await exited, out).toBe(130);
      expect(out, out).toContain('Interrupted');
      expect(snapshot(await allBackends(url))).toEqual(before);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
