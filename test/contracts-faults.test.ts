/**
 * A suite that passes everything proves nothing: a proxy in front of the emulator breaks one
 * behaviour at a time, and the suite must fail on each and name what caught it: the check, the
 * kind of expectation and the matcher. Every registered check, every matcher and every kind of
 * expectation the scenarios use has a fault of its own (enumerated below, so a new one without a
 * fault fails this file): a check that stopped firing would let apoxy-contracts pass a
 * non-conforming server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_REGISTRY } from '../contracts/checks/registry.js';
import { isMatcher, MATCHERS } from '../contracts/runner/matchers.js';
import type { RunReport } from '../contracts/runner/run.js';
import { expectationFor } from '../contracts/runner/request-step.js';
import type { Step } from '../contracts/runner/types.js';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { editJson, startProxy, type Recorded, type Rewrites } from './contracts-proxy.js';
import { ALL_SCENARIOS, allBackends, explain, runSuite } from './contracts-run.js';

const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';
const isCollection = (r: Recorded) => r.url.pathname === BASE;
const isItem = (r: Recorded) => r.url.pathname.startsWith(BASE + '/') && !r.url.pathname.endsWith('/status');
const json = (s: string) => { try { return JSON.parse(s); } catch { return undefined; } };

interface Fault {
  name: string;
  only: string[];
  /**
   * One failure of the run must be all of these: the check's name, then (for a scenario's own
   * expectations) `expect.<key>` or `watch.events`, then the matcher (`{not}`) or `(a value)`.
   */
  proves: string[];
  rewrites: (upstream: () => string) => Rewrites;
}

/** The steps of every scenario by `<scenario id> / <step name>`, watch steps' inner steps included. */
const STEPS = new Map<string, Step>();
for (const sc of ALL_SCENARIOS) {
  const add = (st: Step) => { STEPS.set(`${sc.id} / ${st.name}`, st); st.watch?.then.forEach(add); };
  sc.steps.forEach(add);
}

const matcherOf = (want: unknown) => (isMatcher(want) ? Object.keys(want).map((k) => `{${k}}`) : ['(a value)']);

/** What one failure proves fired: its check, the expectation it came from, the matcher. */
function whatFired(scenario: string, f: { check: string; step: string; path?: string; message: string }): string[] {
  const step = STEPS.get(`${scenario} / ${f.step}`);
  const e = step ? expectationFor(step, 'apoxy') : {};
  const path = f.path ?? '';
  switch (f.check) {
    case 'expected_status': return [f.check, 'expect.status'];
    case 'expected_reason': return [f.check, 'expect.reason'];
    case 'expected_causes': return [f.check, 'expect.causes'];
    case 'expected_message': return [f.check, f.message.startsWith('expected message containing') ? 'expect.messageContains' : 'expect.message'];
    case 'expected_headers': {
      const h = Object.keys(e.headers ?? {}).find((k) => `header:${k}` === path);
      return h ? [f.check, 'expect.headers', ...matcherOf(e.headers![h])] : [f.check];
    }
    case 'expected_body':
      if (e.body && path in e.body) return [f.check, 'expect.body', ...matcherOf(e.body[path])];
      return e.exactBody !== undefined ? [f.check, 'expect.exactBody'] : [f.check];
    case 'watch_events': {
      const m = /^events\[(\d+)\]\.object\.(.+)$/.exec(path);
      const want = m ? step?.watch?.events[Number(m[1])]?.object?.[m[2]] : undefined;
      return want === undefined ? [f.check, 'watch.events'] : [f.check, 'watch.events', ...matcherOf(want)];
    }
    default: return [f.check];
  }
}

/** Each failure of a run (not a known divergence), as what fired. */
const fired = (r: RunReport) => r.results.flatMap((s) => s.failures.filter((f) => !f.known).map((f) => whatFired(s.id, f)));

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
    name: 'wrong status code on create (200 instead of 201)', only: ['create'], proves: ['expected_status', 'expect.status'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST' && res.status === 201) res.status = 200; } }),
  },
  {
    name: 'a Status without reason', only: ['create'], proves: ['status_object_conformance'],
    rewrites: () => ({ response: (r, res) => { if (res.status >= 400) editJson(res, (b) => delete b.reason); } }),
  },
  {
    name: 'a list of kind List', only: ['list-selectors'], proves: ['response_schema_conformance'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isCollection(r)) editJson(res, (b) => { if (b.kind === 'BackendList') b.kind = 'List'; }); } }),
  },
  {
    name: 'protocol not lowercased', only: ['create'], proves: ['expected_body', 'expect.body', '(a value)'],
    rewrites: () => ({
      response: (r, res) => {
        const sent = json(r.body)?.spec?.protocol;
        if (r.method === 'POST' && typeof sent === 'string') editJson(res, (b) => { if (b.spec) b.spec.protocol = sent; });
      },
    }),
  },
  {
    name: 'resourceVersion not bumped', only: ['update-put'], proves: ['expected_body', 'expect.body', '{not}'],
    rewrites: () => ({
      response: (r, res) => {
        const sent = json(r.body)?.metadata?.resourceVersion;
        if (r.method === 'PUT' && res.status === 200 && sent) editJson(res, (b) => (b.metadata.resourceVersion = sent));
      },
    }),
  },
  {
    name: 'conflicts not detected', only: ['update-put'], proves: ['expected_status'],
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
    name: 'status accepted on the main resource', only: ['update-put'], proves: ['expected_body'],
    rewrites: () => ({
      response: (r, res) => {
        const sent = json(r.body)?.status;
        if (r.method === 'PUT' && isItem(r) && sent && res.status === 200) editJson(res, (b) => (b.status = sent));
      },
    }),
  },
  {
    name: 'paging token dropped', only: ['list-paging'], proves: ['expected_body', 'expect.body', '{matches}'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isCollection(r)) editJson(res, (b) => delete b.metadata?.continue); } }),
  },
  {
    name: 'dryRun persisted', only: ['dry-run'], proves: ['expected_status'],
    rewrites: () => ({ request: (r) => { r.url.searchParams.delete('dryRun'); } }),
  },
  {
    name: 'field paths reformatted (spec.endpoints[0].ip)', only: ['validation-rules'], proves: ['expected_causes', 'expect.causes'],
    rewrites: () => ({ response: (r, res) => { if (res.status === 422) res.body = res.body.replaceAll('.[', '['); } }),
  },
  {
    name: 'DELETED watch events dropped', only: ['watch'], proves: ['watch_events', 'watch.events'],
    rewrites: () => ({ watchLine: (line) => (line.includes('"type":"DELETED"') ? undefined : line) }),
  },
  {
    name: 'a missing uid', only: ['create'], proves: ['ensure_resource_availability'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST') editJson(res, (b) => delete b.metadata?.uid); } }),
  },
  {
    name: 'an undeclared status code (410 for a missing object)', only: ['create'], proves: ['status_code_conformance'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isItem(r) && res.status === 404) { res.status = 410; editJson(res, (b) => (b.code = 410)); } } }),
  },
  {
    name: 'a server error on read', only: ['create'], proves: ['not_a_server_error'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isItem(r) && res.status === 200) { res.status = 500; res.body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'boom', code: 500 }); } } }),
  },
  {
    name: 'a deleted object served again', only: ['delete'], proves: ['use_after_free'],
    rewrites: resurrect,
  },
  {
    name: 'invalid data accepted', only: ['validation-rules'], proves: ['negative_data_rejection'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST' && res.status === 422) { res.status = 201; res.body = r.body; } } }),
  },
  {
    name: 'a created object that cannot be read back', only: ['generate-name'], proves: ['ensure_resource_availability'],
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
    name: 'a body that breaks the schema (resourceVersion as a number)', only: ['create'], proves: ['response_schema_conformance'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isItem(r)) editJson(res, (b) => { if (b.metadata) b.metadata.resourceVersion = Number(b.metadata.resourceVersion); }); } }),
  },
  {
    name: 'strategic merge treated as a merge patch (finalizers replaced)', only: ['strategic-merge-metadata'], proves: ['expected_body', 'expect.body', '{oneOf}'],
    rewrites: () => ({
      request: (r) => {
        if (r.headers['content-type'] === 'application/strategic-merge-patch+json') r.headers['content-type'] = 'application/merge-patch+json';
      },
    }),
  },
  {
    name: 'a delete answering neither the object nor a Status', only: ['delete'], proves: ['response_schema_conformance'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'DELETE' && res.status === 200) editJson(res, (b) => { b.kind = 'DeleteResult'; }); } }),
  },
  {
    name: 'a Status reason changed (Conflict for AlreadyExists)', only: ['create'], proves: ['expected_reason', 'expect.reason'],
    rewrites: () => ({ response: (r, res) => { if (res.status === 409) editJson(res, (b) => { if (b.reason === 'AlreadyExists') b.reason = 'Conflict'; }); } }),
  },
  {
    name: 'a Status message reworded', only: ['create'], proves: ['expected_message', 'expect.message'],
    rewrites: () => ({ response: (r, res) => { if (res.status === 409) editJson(res, (b) => { b.message = `${b.message}.`; }); } }),
  },
  {
    name: "a Status message without the decoder's words", only: ['field-validation'], proves: ['expected_message', 'expect.messageContains'],
    rewrites: () => ({ response: (r, res) => { if (res.status === 400) editJson(res, (b) => { b.message = 'the request is invalid'; }); } }),
  },
  {
    name: 'a Warning header reworded', only: ['field-validation'], proves: ['expected_headers', 'expect.headers', '{contains}'],
    rewrites: () => ({ response: (r, res) => { if (res.headers.warning) res.headers.warning = res.headers.warning.replaceAll('colour', 'color'); } }),
  },
  {
    name: 'a label selector that drops a match', only: ['list-selectors'], proves: ['expected_body', 'expect.body', '{length}'],
    rewrites: () => ({
      // Only the steps' own selectors (the run's label plus one more): the clean-up still sees everything.
      response: (r, res) => { if (r.method === 'GET' && isCollection(r) && r.url.searchParams.get('labelSelector')?.includes(',')) editJson(res, (b) => b.items?.pop()); },
    }),
  },
  {
    name: 'fractional seconds in creationTimestamp', only: ['create'], proves: ['expected_body', 'expect.body', '{matches}'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'POST' && res.status === 201) editJson(res, (b) => { b.metadata.creationTimestamp = String(b.metadata.creationTimestamp).replace(/Z$/, '.000Z'); }); } }),
  },
  {
    name: 'remainingItemCount on a filtered list', only: ['list-paging'], proves: ['expected_body', 'expect.body', '{exists}'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'GET' && isCollection(r) && r.url.searchParams.has('limit')) editJson(res, (b) => { if (b.metadata?.continue) b.metadata.remainingItemCount = 1; }); } }),
  },
  {
    name: 'a code added to the Success Status of a delete', only: ['delete'], proves: ['expected_body', 'expect.exactBody'],
    rewrites: () => ({ response: (r, res) => { if (r.method === 'DELETE' && res.status === 200) editJson(res, (b) => { if (b.kind === 'Status') b.code = 200; }); } }),
  },
  {
    name: 'a MODIFIED watch event carrying the old object', only: ['watch'], proves: ['watch_events', 'watch.events', '(a value)'],
    rewrites: () => ({ watchLine: (line) => (line.includes('"type":"MODIFIED"') ? line.replace('"protocol":"tls"', '"protocol":"h2"') : line) }),
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
      const caught = fired(report).filter((f) => fault.proves.every((p) => f.includes(p)));
      expect(caught.length, `nothing fired as ${fault.proves.join(' ')}:\n${explain(report)}`).toBeGreaterThan(0);
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

  const provenSomewhere = (what: string) => FAULTS.some((f) => f.proves.includes(what));

  it('has a fault for every registered check', () => {
    const checks = CHECK_REGISTRY.map((c) => c.name);
    expect(checks.length).toBeGreaterThanOrEqual(14);
    expect(checks.filter((c) => !provenSomewhere(c))).toEqual([]);
  });

  it('has a fault for every matcher', () => {
    expect(MATCHERS.length).toBeGreaterThanOrEqual(6);
    expect(MATCHERS.map((m) => `{${m}}`).filter((m) => !provenSomewhere(m))).toEqual([]);
  });

  it('has a fault for every kind of expectation the scenarios use, and for every matcher in each', () => {
    const used = new Set<string>();
    const note = (kind: string, want: unknown) => { used.add(kind); if (isMatcher(want)) Object.keys(want).forEach((k) => used.add(`${kind} {${k}}`)); };
    for (const st of STEPS.values()) {
      for (const e of [st.expect, ...Object.values(st.expectProfile ?? {})]) {
        for (const [k, v] of Object.entries(e ?? {})) {
          if (k === 'body' || k === 'headers') Object.values(v as object).forEach((w) => note(`expect.${k}`, w));
          else note(`expect.${k}`, v);
        }
      }
      if (st.watch?.events.length) used.add('watch.events');
    }
    // Guards the enumeration itself: each of these is in some scenario today.
    expect([...used]).toEqual(expect.arrayContaining(['expect.status', 'expect.reason', 'expect.message', 'expect.messageContains', 'expect.body', 'expect.exactBody', 'expect.causes', 'expect.headers', 'watch.events', 'expect.body {not}', 'expect.headers {contains}']));
    const proven = (u: string) => {
      const [kind, matcher] = u.split(' ');
      return FAULTS.some((f) => f.proves.includes(kind) && (!matcher || f.proves.includes(matcher)));
    };
    // A matcher is proven once through expect.body; elsewhere (headers, watch events) the same
    // mismatch() judges, so the kind of expectation is what must be proven there.
    const needed = [...used].filter((u) => !u.includes(' ') || u.startsWith('expect.body '));
    expect(needed.filter((u) => !proven(u))).toEqual([]);
  });
});
