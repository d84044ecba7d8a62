import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';
import { startCli } from './cli-process.js';

const OPTIONS = { fixedClock: '2026-01-01T00:00:00Z', randomSeed: 1234 };

/** The same client session, recorded whole: every status and body. */
async function session(api: Awaited<ReturnType<typeof startEmulator>>['api']): Promise<unknown[]> {
  const out: unknown[] = [];
  const rec = (r: { status: number; body: unknown }) => out.push([r.status, r.body]);
  for (let i = 0; i < 3; i++) rec(await api.post(BASE).send({ ...backend(''), metadata: { generateName: 'web-' } }));
  rec(await api.post(BASE).send(backend('named')));
  rec(await api.post('/_emulator/clock').send({ advance: '90s' }));
  rec(await api.patch(`${BASE}/named`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { labels: { a: 'b' } } }));
  rec(await api.get(`${BASE}?limit=2`));
  const token = (out.at(-1) as [number, { metadata: { continue: string } }])[1].metadata.continue;
  rec(await api.get(`${BASE}?limit=2&continue=${encodeURIComponent(token)}`));
  rec(await api.get(BASE).set('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io'));
  return out;
}

describe('--clock fixed and --random-seed', () => {
  it('make whole responses (uids, generated names, timestamps, continue tokens) identical across runs', async () => {
    const first = await session((await startEmulator(OPTIONS)).api);
    const second = await session((await startEmulator(OPTIONS)).api);
    expect(second).toEqual(first);
    const created = first[0] as [number, { metadata: Record<string, string> }];
    expect(created[0]).toBe(201);
    expect(created[1].metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(created[1].metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const patched = first[5] as [number, { metadata: { managedFields: { time: string }[] } }];
    expect(patched[1].metadata.managedFields.map((m) => m.time)).toContain('2026-01-01T00:01:30Z'); // after advancing 90s

    const other = await session((await startEmulator({ ...OPTIONS, randomSeed: 4321 })).api);
    expect((other[0] as [number, { metadata: { uid: string } }])[1].metadata.uid).not.toBe(created[1].metadata.uid);
  });

  it('the clock can be read, advanced and set through the admin API; bad input is a BadRequest Status', async () => {
    const { api } = await startEmulator(OPTIONS);
    expect((await api.get('/_emulator/clock').expect(200)).body).toEqual({ now: '2026-01-01T00:00:00.000Z', fixed: true });
    expect((await api.post('/_emulator/clock').send({ advance: '1h30m' }).expect(200)).body.now).toBe('2026-01-01T01:30:00.000Z');
    expect((await api.post('/_emulator/clock').send({ set: '2030-05-05T05:05:05Z' }).expect(200)).body.now).toBe('2030-05-05T05:05:05.000Z');
    expect((await api.post(BASE).send(backend('t')).expect(201)).body.metadata.creationTimestamp).toBe('2030-05-05T05:05:05Z');
    for (const [body, message] of [
      [{ advance: 'later' }, 'time: invalid duration "later"'],
      [{ advance: '-5m' }, 'the clock can only be advanced by a non-negative duration'],
      [{ set: 'yesterday' }, '"yesterday" is not an RFC 3339 time (e.g. 2026-01-01T00:00:00Z)'],
      [{ advance: '1s', set: '2030-01-01T00:00:00Z' }, 'the body must be {"advance": "<Go duration>"} or {"set": "<RFC 3339 time>"}'],
    ] as const) {
      const res = await api.post('/_emulator/clock').send(body).expect(400);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400, message });
    }
  });

  it('a real clock can be moved forward too', async () => {
    const { api } = await startEmulator();
    const before = (await api.get('/_emulator/clock').expect(200)).body;
    expect(before.fixed).toBe(false);
    const after = (await api.post('/_emulator/clock').send({ advance: '240h' }).expect(200)).body;
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(240 * 3600_000);
  });

  it('the CLI flags give the same responses as the programmatic options, and the start-up line says what is on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-det-'));
    const faults = join(dir, 'faults.yaml');
    writeFileSync(faults, 'rules:\n  - match: {operation: deletecollection}\n    error: {code: 503}\n  - match: {operation: watch}\n    watch: {cutAfterEvents: 1}\n');
    const cli = await startCli(['serve', '--port', '0', '--in-memory', '--clock', 'fixed:2026-01-01T00:00:00Z', '--random-seed', '1234', '--faults', faults, '--simulate-ready', '1h']);
    try {
      expect(cli.stdout[0]).toMatch(/^apoxy-emulator listening on http:\/\/127\.0\.0\.1:\d+ \(profile apoxy, data in memory, 2 fault rules active, clock fixed at 2026-01-01T00:00:00\.000Z, random seed 1234, simulate-ready 1h\), dashboard http:\/\/127\.0\.0\.1:\d+\/_emulator\/ui\/$/);
      const body = JSON.stringify({ metadata: { generateName: 'web-' }, spec: {} });
      const viaCli = await (await fetch(cli.url + BASE, { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': 'same' }, body })).json();
      const { api } = await startEmulator(OPTIONS);
      const inProcess = (await api.post(BASE).set('User-Agent', 'same').set('Content-Type', 'application/json').send(body).expect(201)).body;
      expect(viaCli).toEqual(inProcess);
      expect((await fetch(cli.url + BASE, { method: 'DELETE' })).status).toBe(503);
    } finally {
      await cli.stop();
    }
  });
});
