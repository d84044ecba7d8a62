/**
 * A suite that passes everything proves nothing: a proxy in front of the emulator breaks one
 * behaviour at a time, and the suite must fail on each and name the check that caught it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { editJson, startProxy, type Recorded, type Rewrites } from './contracts-proxy.js';
import { allBackends, explain, failedChecks, runSuite } from './contracts-run.js';

const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';
const isCollection = (r: Recorded) => r.url.pathname === BASE;
const isItem = (r: Recorded) => r.url.pathname.startsWith(BASE + '/') && !r.url.pathname.endsWith('/status');
const json = (s: string) => { try { return JSON.parse(s); } catch { return undefined; } };

interface Fault {
  name: string;
  only: string[];
  /** The suite must name (at least) this check. */
  check: string;
  rewrites: (upstream: () => string) => Rewrites;
}

const resurrect = () => {
  const lastSeen = new Map<string, string>();
  const freed = new Set<string>();
  return {
    response(r: Recorded, res: { status: number; body: string }) {
      if (!isItem(r)) return;
      if (r.method === 'GET' && freed.has(r.url.pathname)) {
        res.status = 200;
        res.body = lastSeen.get(r.url.pathname)!;
        return;
      }
      if (res.status === 200 && r.method === 'GET') lastSeen.set(r.url.pathname, res.body);
      if (r.method === 'DELETE' && res.status === 200 && json(res.body)?.kind === 'Status') freed.add(r.url.pathname);
    },
  } satisfies Rewrites;
};

const FAULTS: Fault[] = [
  {
    name: 'wrong status code on create (200 instead of 201)', only: ['create'], check: 'expected_status',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST' && res.status === 201) res.status = 200; } }),
  },
  {
    name: 'a Status without reason', only: ['create'], check: 'status_object_conformance',
    rewrites: () => ({ response: (r, res) => { if (res.status >= 400) editJson(res, (b) => delete b.reason); } }),
  },
  {
    name: 'a list of kind List', only: ['list-selectors'], check: 'response_schema_conformance',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isCollection(r)) editJson(res, (b) => { if (b.kind === 'BackendList') b.kind = 'List'; }); } }),
  },
  {
    name: 'protocol not lowercased', only: ['create'], check: 'expected_body',
    rewrites: () => ({
      response: (r, res) => {
        const sent = json(r.body)?.spec?.protocol;
        if (r.method === 'POST' && typeof sent === 'string') editJson(res, (b) => { if (b.spec) b.spec.protocol = sent; });
      },
    }),
  },
  {
    name: 'resourceVersion not bumped', only: ['update-put'], check: 'expected_body',
    rewrites: () => ({
      response: (r, res) => {
        const sent = json(r.body)?.metadata?.resourceVersion;
        if (r.method === 'PUT' && res.status === 200 && sent) editJson(res, (b) => (b.metadata.resourceVersion = sent));
      },
    }),
  },
  {
    name: 'conflicts not detected', only: ['update-put'], check: 'expected_status',
    rewrites: (upstream) => ({
      // Every PUT is sent with the current resourceVersion, whatever the client had.
      async request(r) {
        const body = json(r.body);
        if (r.method !== 'PUT' || !body?.metadata?.resourceVersion) return;
        const cur = await fetch(`${upstream()}${r.url.pathname.replace(/\/status$/, '')}`).then((x) => x.json() as Promise<any>);
        if (cur?.metadata?.resourceVersion) body.metadata.resourceVersion = cur.metadata.resourceVersion;
        r.body = JSON.stringify(body);
      },
    }),
  },
  {
    name: 'status accepted on the main resource', only: ['update-put'], check: 'expected_body',
    rewrites: () => ({
      response: (r, res) => {
        const sent = json(r.body)?.status;
        if (r.method === 'PUT' && isItem(r) && sent && res.status === 200) editJson(res, (b) => (b.status = sent));
      },
    }),
  },
  {
    name: 'paging token dropped', only: ['list-paging'], check: 'expected_body',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isCollection(r)) editJson(res, (b) => delete b.metadata?.continue); } }),
  },
  {
    name: 'dryRun persisted', only: ['dry-run'], check: 'expected_status',
    rewrites: () => ({ request: (r) => { r.url.searchParams.delete('dryRun'); } }),
  },
  {
    name: 'field paths reformatted (spec.endpoints[0].ip)', only: ['validation-rules'], check: 'expected_causes',
    rewrites: () => ({ response: (r, res) => { if (res.status === 422) res.body = res.body.replaceAll('.[', '['); } }),
  },
  {
    name: 'DELETED watch events dropped', only: ['watch'], check: 'watch_events',
    rewrites: () => ({ watchLine: (line) => (line.includes('"type":"DELETED"') ? undefined : line) }),
  },
  {
    name: 'a missing uid', only: ['create'], check: 'ensure_resource_availability',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST') editJson(res, (b) => delete b.metadata?.uid); } }),
  },
  {
    name: 'an undeclared status code (410 for a missing object)', only: ['create'], check: 'status_code_conformance',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isItem(r) && res.status === 404) { res.status = 410; editJson(res, (b) => (b.code = 410)); } } }),
  },
  {
    name: 'a server error on read', only: ['create'], check: 'not_a_server_error',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isItem(r) && res.status === 200) { res.status = 500; res.body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'boom', code: 500 }); } } }),
  },
  {
    name: 'a deleted object served again', only: ['delete'], check: 'use_after_free',
    rewrites: resurrect,
  },
  {
    name: 'invalid data accepted', only: ['validation-rules'], check: 'negative_data_rejection',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST' && res.status === 422) { res.status = 201; res.body = r.body; } } }),
  },
  {
    name: 'a created object that cannot be read back', only: ['generate-name'], check: 'ensure_resource_availability',
    rewrites: () => ({
      response: (r, res) => {
        if (r.method === 'GET' && isItem(r) && res.status === 200) {
          res.status = 404;
          res.body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
        }
      },
    }),
  },
  {
    name: 'a body that breaks the schema (resourceVersion as a number)', only: ['create'], check: 'response_schema_conformance',
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isItem(r)) editJson(res, (b) => { if (b.metadata) b.metadata.resourceVersion = Number(b.metadata.resourceVersion); }); } }),
  },
  {
    name: 'strategic merge treated as a merge patch (finalizers replaced)', only: ['strategic-merge-metadata'], check: 'expected_body',
    rewrites: () => ({
      request: (r) => {
        if (r.headers['content-type'] === 'application/strategic-merge-patch+json') r.headers['content-type'] = 'application/merge-patch+json';
      },
    }),
  },
];

describe('the suite catches faults', () => {
  let emulator: Emulator;
  let url: string;
  beforeAll(async () => {
    emulator = await createEmulator({});
    url = await emulator.listen(0);
  });
  afterAll(() => emulator.close());

  it('passes through a proxy that changes nothing (the faults below are the only cause)', async () => {
    const proxy = await startProxy(url);
    try {
      const report = await runSuite(proxy.url, { only: [...new Set(FAULTS.flatMap((f) => f.only))] });
      expect(report.counts.failed, explain(report)).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  // Concurrent: each run has its own run id and proxy; the emulator is shared.
  it.concurrent.each(FAULTS.map((f) => [f.name, f] as const))('fails on: %s', async (_, fault) => {
    const proxy = await startProxy(url, fault.rewrites(() => url));
    try {
      const report = await runSuite(proxy.url, { only: fault.only });
      expect(report.counts.failed).toBeGreaterThan(0);
      expect(failedChecks(report), explain(report)).toContain(fault.check);
      // Even a failing run leaves nothing behind (read from the emulator itself, not through the proxy).
      expect((await allBackends(url)).filter((b) => b.metadata.name.startsWith(report.runId))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('skips the server-side apply scenarios, giving the probe answer, on a target without it', async () => {
    const proxy = await startProxy(url, {
      response: (r, res) => {
        if (r.method === 'PATCH' && r.headers['content-type'] === 'application/apply-patch+yaml') {
          res.status = 415;
          res.body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'unsupported', reason: 'UnsupportedMediaType', code: 415 });
        }
      },
    });
    try {
      const report = await runSuite(proxy.url, { only: ['apply', 'create'] });
      const ssa = report.results.find((r) => r.id === 'server-side-apply')!;
      expect(ssa.outcome).toBe('skipped');
      expect(ssa.skipReason).toMatch(/does not support server-side-apply: probe PATCH .* answered 415/);
      expect(report.results.find((r) => r.id === 'create')!.outcome).toBe('passed');
      // The probe was a dry run on a name of the run.
      const probe = proxy.requests.find((r) => r.headers['content-type'] === 'application/apply-patch+yaml')!;
      expect(probe.url.searchParams.get('dryRun')).toBe('All');
      expect(probe.url.pathname).toContain(`/${report.runId}-probe-ssa`);
    } finally {
      await proxy.close();
    }
  });

  it('has at least 12 different faults', () => {
    expect(new Set(FAULTS.map((f) => f.name)).size).toBeGreaterThanOrEqual(12);
  });
});
