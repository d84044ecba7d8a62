/**
 * record / verify / diff through a proxy that breaks one rule at a time: verify fails and names
 * the scenario, step and JSON path with both values; a recording never holds a credential; and
 * --checks / --exclude-checks change what `run` fails on.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_REGISTRY } from '../contracts/checks/registry.js';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { editJson, startProxy, type Rewrites } from './contracts-proxy.js';
import { inProcess } from './contracts-run.js';

const GOLDEN = fileURLToPath(new URL('../contracts/golden', import.meta.url));
const COLLECTION = '/apis/core.apoxy.dev/v1alpha2/backends';
const json = (s: string) => { try { return JSON.parse(s); } catch { return undefined; } };

/** A fresh emulator behind a proxy with these rewrites, for one test. */
async function through<T>(rewrites: Rewrites, use: (url: string) => Promise<T>): Promise<T> {
  const emulator = await createEmulator({ profile: 'apoxy' });
  const proxy = await startProxy(await emulator.listen(0), rewrites);
  try {
    return await use(proxy.url);
  } finally {
    await proxy.close();
    await emulator.close();
  }
}

/** The lines verify prints for one difference. */
function difference(stdout: string, at: string, recorded: string, target: string) {
  const lines = stdout.split('\n');
  const i = lines.indexOf(at);
  expect(i, `no difference ${at} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  expect(lines[i + 1]).toBe(`    recorded: ${recorded}`);
  expect(lines[i + 2]).toBe(`    target:   ${target}`);
}

const BROKEN: Array<{ rule: string; only: string; rewrites: Rewrites; at: string; recorded: string; target: string }> = [
  {
    rule: 'protocol not lowercased', only: 'create', at: 'create / create / body.spec.protocol', recorded: '"h2"', target: '"H2"',
    rewrites: { response: (r, res) => { const sent = json(r.body)?.spec?.protocol; if (r.method === 'POST' && typeof sent === 'string') editJson(res, (b) => { if (b.spec) b.spec.protocol = sent; }); } },
  },
  {
    rule: 'code added to the Success Status of a delete', only: 'delete', at: 'delete / delete / body.code', recorded: 'absent', target: '200',
    rewrites: { response: (r, res) => { if (r.method === 'DELETE' && res.status === 200) editJson(res, (b) => { if (b.kind === 'Status') b.code = 200; }); } },
  },
  {
    rule: 'an error message changed', only: 'create', at: 'create / create again / body.message',
    recorded: '"backends.core.apoxy.dev \\"<prefix>-web\\" already exists"', target: '"backends.core.apoxy.dev \\"<prefix>-web\\" exists already"',
    rewrites: { response: (_r, res) => { if (res.status === 409) editJson(res, (b) => (b.message = b.message.replace('already exists', 'exists already'))); } },
  },
  {
    rule: 'timestamps with milliseconds', only: 'delete', at: 'delete / create / body.metadata.creationTimestamp', recorded: '"<time>"', target: '"<time:0000-00-00T00:00:00.000Z>"',
    rewrites: { response: (_r, res) => { res.body = res.body.replace(/("creationTimestamp":"[^"]+?)Z"/g, '$1.123Z"'); } },
  },
  {
    rule: 'list kind changed', only: 'list-selectors', at: 'list-selectors / list all / body.kind', recorded: '"BackendList"', target: '"List"',
    rewrites: { response: (r, res) => { if (r.method === 'GET' && r.url.pathname === COLLECTION) editJson(res, (b) => { if (b.kind === 'BackendList') b.kind = 'List'; }); } },
  },
];

describe('verify against contracts/golden', () => {
  it.each(BROKEN.map((b) => [b.rule, b] as const))('fails a server that breaks one rule (%s), naming the JSON path and both values', async (_, b) => {
    await through(b.rewrites, async (url) => {
      const r = await inProcess(['verify', '--golden', GOLDEN, '--target', url, '--only', b.only]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      difference(r.stdout, b.at, b.recorded, b.target);
      expect(r.stdout).toMatch(new RegExp(`^FAIL +${b.only} \\(\\d+ ms\\) — \\d+ difference\\(s\\) from the recording$`, 'm'));
    });
  });

  it('notices what no check does: milliseconds pass `run`, and fail verify even with every check excluded', async () => {
    await through(BROKEN[3].rewrites, async (url) => {
      const run = await inProcess(['run', '--target', url, '--only', 'delete']);
      expect(run.code, run.stdout).toBe(0);
      const verify = await inProcess(['verify', '--golden', GOLDEN, '--target', url, '--only', 'delete', '--exclude-checks', 'all']);
      expect(verify.code, verify.stdout).toBe(1);
      expect(verify.stdout).not.toMatch(/^  \[/m); // no check failed: none was applied
      difference(verify.stdout, 'delete / create / body.metadata.creationTimestamp', '"<time>"', '"<time:0000-00-00T00:00:00.000Z>"');
    });
  });

  it('honours --known-divergences (an entry covers the difference by scenario, step and path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contracts-known-'));
    try {
      const file = join(dir, 'known.yaml');
      writeFileSync(file, 'target: test\ndivergences:\n  - scenario: create\n    path: spec.protocol\n    observed: protocol kept as sent\n    reason: this server does not lowercase\n');
      // Only the create scenario's H2 is kept as sent (the create tag also picks validation-accepted's QUIC).
      const h2: Rewrites = { response: (r, res) => { if (r.method === 'POST' && json(r.body)?.spec?.protocol === 'H2') editJson(res, (b) => (b.spec.protocol = 'H2')); } };
      await through(h2, async (url) => {
        // expected_body (spec.protocol: h2) is a check failure the same entry covers.
        const r = await inProcess(['verify', '--golden', GOLDEN, '--target', url, '--only', 'create', '--known-divergences', file]);
        expect(r.code, r.stdout).toBe(0);
        expect(r.stdout).toMatch(/^known create \/ create \/ body\.spec\.protocol$/m);
        expect(r.stdout).toContain('known: protocol kept as sent (this server does not lowercase)');
        expect(r.stdout).toMatch(/; 0 difference\(s\) from the recording, \d+ known in \d+ ms$/m);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage: --golden is required and must be a recording; the profile is the recording\'s (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contracts-usage-'));
    try {
      expect((await inProcess(['verify', '--target', 'http://127.0.0.1:1'])).code).toBe(2);
      const notRecording = await inProcess(['verify', '--golden', dir, '--target', 'http://127.0.0.1:1']);
      expect(notRecording.code).toBe(2);
      expect(notRecording.stderr).toContain('no manifest.json');
      const profile = await inProcess(['verify', '--golden', GOLDEN, '--target', 'http://127.0.0.1:1', '--profile', 'documented']);
      expect(profile.code).toBe(2);
      expect(profile.stderr).toContain('recorded under profile apoxy');
      expect((await inProcess(['record', '--target', 'http://127.0.0.1:1'])).code).toBe(2);
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      const foreign = await inProcess(['record', '--target', 'http://127.0.0.1:1', '--out', dir]);
      expect(foreign.code).toBe(2);
      expect(foreign.stderr).toContain('not a recording');
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('record', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-record-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never writes a credential sent with --header or --token, even one the server echoes', async () => {
    const KEY = 'secret-key-4711';
    const TOKEN = 'token-0815-abcdef';
    // A server that repeats the credentials it received: in error messages, a Warning header, /version.
    const echo: Rewrites = {
      response: (r, res) => {
        const seen = `${r.headers['x-apoxy-api-key']} ${r.headers.authorization}`;
        res.headers.warning = `299 - "seen ${seen}"`;
        if (res.status >= 400) editJson(res, (b) => (b.message = `${b.message} (${seen})`));
        if (r.url.pathname === '/version') editJson(res, (b) => (b.gitCommit = seen));
      },
    };
    const out = join(dir, 'echo');
    await through(echo, async (url) => {
      const r = await inProcess(['record', '--target', url, '--out', out, '--only', 'create,delete', '--header', `X-Apoxy-API-Key: ${KEY}`, '--header', 'X-Apoxy-Project-Id: project-visible', '--token', TOKEN, '--exclude-checks', 'all']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    });
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['create.json', 'delete.json', 'manifest.json']));
    const all = files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(all).toContain('(<redacted> <redacted>)'); // the echo happened, and was scrubbed
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toContain('"gitCommit": "<redacted> <redacted>"');
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(TOKEN);
    // --header values are never recorded as request headers (only the step's own are).
    expect(all).not.toContain('project-visible');
    expect(all).not.toMatch(/authorization|x-apoxy-api-key/i);
  });
});

describe('--checks and --exclude-checks', () => {
  const withoutReason: Rewrites = { response: (_r, res) => { if (res.status >= 400) editJson(res, (b) => delete b.reason); } };

  it('--list-checks prints every registered check with its one-line description', async () => {
    const r = await inProcess(['--list-checks']);
    expect(r.code).toBe(0);
    for (const c of CHECK_REGISTRY) expect(r.stdout).toMatch(new RegExp(`^${c.name} +(\\[scenario\\] )?${c.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const unknown = await inProcess(['run', '--target', 'http://127.0.0.1:1', '--checks', 'not_a_check']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown check "not_a_check"; the checks are: not_a_server_error,');
  });

  it('decide which failures a run reports', async () => {
    await through(withoutReason, async (url) => {
      const all = await inProcess(['run', '--target', url, '--only', 'create']);
      expect(all.code).toBe(1);
      expect(all.stdout).toContain('[status_object_conformance]');
      expect(all.stdout).toContain('[expected_reason]');
      const one = await inProcess(['run', '--target', url, '--only', 'create', '--checks', 'status_object_conformance']);
      expect(one.code).toBe(1);
      expect(one.stdout).toContain('[status_object_conformance]');
      expect(one.stdout).not.toContain('[expected_reason]');
      const excluded = await inProcess(['run', '--target', url, '--only', 'create', '--exclude-checks', 'status_object_conformance', '--exclude-checks', 'expected_reason']);
      expect(excluded.code, excluded.stdout).toBe(0);
      expect((await inProcess(['run', '--target', url, '--only', 'create', '--checks', 'not_a_server_error,expected_status'])).code).toBe(0);
    });
  });

  it('the exact Success Status of DELETE is expected_body: a code added fails `run` unless that check is excluded', async () => {
    await through(BROKEN[1].rewrites, async (url) => {
      const r = await inProcess(['run', '--target', url, '--only', 'delete']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('[expected_body] step "delete answers exactly the Success Status": code: expected absent, got 200');
      const excluded = await inProcess(['run', '--target', url, '--only', 'delete', '--exclude-checks', 'expected_body']);
      expect(excluded.code, excluded.stdout).toBe(0);
    });
  });
});

describe('diff shares the normalization', () => {
  it('two fresh emulators, one of them behind a proxy that breaks a rule: the same path as verify names', async () => {
    const other = await createEmulator({ profile: 'apoxy' });
    try {
      const plain = await other.listen(0);
      await through(BROKEN[4].rewrites, async (url) => {
        const r = await inProcess(['diff', '--a', plain, '--b', url, '--only', 'list-selectors']);
        expect(r.code, r.stdout).toBe(1);
        const lines = r.stdout.split('\n');
        const at = lines.filter((l) => / \/ .* \/ /.test(l));
        expect(at).toContain('list-selectors / list all / body.kind');
        for (const l of at) expect(l).toMatch(/^list-selectors \/ [^/]+ \/ body\.kind$/); // every list, nothing else
        expect(lines[lines.indexOf('list-selectors / list all / body.kind') + 1]).toBe('    a: "BackendList"');
        expect(lines[lines.indexOf('list-selectors / list all / body.kind') + 2]).toBe('    b: "List"');
      });
    } finally {
      await other.close();
    }
  });
});

