/**
 * fixtures/: every valid manifest is accepted under both profiles, and every invalid one is
 * refused with the status and message its first line announces (`# expect: <code> <text>`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../emulator/seed.js';
import { BASE, startEmulator } from './harness.js';

const dir = (d: string) => join(new URL('../fixtures', import.meta.url).pathname, d);
const files = (d: string) => readdirSync(dir(d)).filter((f) => f.endsWith('.yaml')).sort();

describe('fixtures', () => {
  for (const profile of ['apoxy', 'documented'] as const) {
    it.each(files('valid'))(`valid/%s is accepted (profile ${profile})`, async (file) => {
      const { api } = await startEmulator({ profile });
      for (const doc of parseManifests(readFileSync(join(dir('valid'), file), 'utf8'))) {
        const res = await api.post(BASE).send(doc as object);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    });
  }

  it.each(files('invalid'))('invalid/%s is refused as announced', async (file) => {
    const text = readFileSync(join(dir('invalid'), file), 'utf8');
    const m = /^# expect: (\d{3}) (.*)$/m.exec(text);
    expect(m, 'first line announces the expectation').not.toBeNull();
    const { api, emulator } = await startEmulator();
    const [doc] = parseManifests(text);
    const res = await api.post(BASE).send(doc as object);
    expect(res.status).toBe(Number(m![1]));
    expect(res.body.kind).toBe('Status');
    expect(res.body.message).toContain(m![2]);
    expect(emulator.store.count('backends')).toBe(0);
  });
});
