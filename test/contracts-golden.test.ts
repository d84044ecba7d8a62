/**
 * contracts/golden/ is a recording of the emulator (profile apoxy): what it answers to every
 * contract scenario. A change of wire behaviour fails here until it is re-recorded
 * (`npm run contracts:golden`), so it shows in review as a diff of that folder. Two recordings
 * of two fresh emulators are byte for byte the same, which is what makes that diff readable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { ALL_SCENARIOS, inProcess } from './contracts-run.js';

const GOLDEN = fileURLToPath(new URL('../contracts/golden', import.meta.url));
const RERECORD = 'the emulator answers differently from contracts/golden: if that is intended, run `npm run contracts:golden` and review the diff';

/** Every file of a recording, by name. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** A manifest without what differs by nature between two recordings: when, and the port. */
function stable(manifest: string) {
  const m = JSON.parse(manifest);
  expect(m.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(m.target.host).toMatch(/^127\.0\.0\.1:\d+$/);
  return { ...m, recordedAt: undefined, target: { ...m.target, host: undefined } };
}

describe('the recording of the emulator', () => {
  const emulators: Emulator[] = [];
  let dir: string;
  let recordings: Array<Record<string, string>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contracts-golden-'));
    // Two fresh emulators, recorded one after the other (a loaded machine changes no byte). The
    // recording judges nothing (`run` and verify below do), so a drift shows as a diff here.
    recordings = [];
    for (const name of ['a', 'b']) {
      const e = await createEmulator({ profile: 'apoxy' });
      emulators.push(e);
      const r = await inProcess(['record', '--target', await e.listen(0), '--out', join(dir, name), '--exclude-checks', 'all']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      recordings.push(files(join(dir, name)));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is byte for byte the same from two fresh emulators (the manifest apart from its time and port)', () => {
    const [a, b] = recordings;
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(Object.keys(a)).toHaveLength(ALL_SCENARIOS.length + 1);
    for (const f of Object.keys(a)) if (f !== 'manifest.json') expect(b[f], f).toBe(a[f]);
    expect(stable(b['manifest.json'])).toEqual(stable(a['manifest.json']));
  });

  it('is what contracts/golden holds, and that covers every scenario', () => {
    const committed = files(GOLDEN);
    const [fresh] = recordings;
    expect(Object.keys(committed), RERECORD).toEqual(Object.keys(fresh));
    for (const f of Object.keys(fresh)) if (f !== 'manifest.json') expect(fresh[f], `${f}: ${RERECORD}`).toBe(committed[f]);
    expect(stable(fresh['manifest.json']), RERECORD).toEqual(stable(committed['manifest.json']));
    expect(JSON.parse(committed['manifest.json']).scenarios.map((s: { id: string }) => s.id)).toEqual(ALL_SCENARIOS.map((s) => s.id));
  });

  it('verify: a fresh emulator agrees with contracts/golden, exit 0', async () => {
    const e = await createEmulator({ profile: 'apoxy' });
    try {
      const r = await inProcess(['verify', '--golden', GOLDEN, '--target', await e.listen(0)]);
      expect(r.code, `${RERECORD}\n${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^\d+ passed, 0 failed, 1 skipped; 0 difference\(s\) from the recording in \d+ ms$/m);
    } finally {
      await e.close();
    }
  }, 60_000);
});
