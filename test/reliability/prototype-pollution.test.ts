/**
 * Prototype pollution, where it can be seen: in the emulator's own process. The corpus's requests
 * with `__proto__`, `constructor` and `prototype` keys (in bodies, every patch type, apply, paths,
 * selectors, queries) go to an emulator in this process; afterwards no built-in prototype has
 * gained or changed a property. (Over HTTP a polluted prototype does not show: JSON.stringify
 * skips inherited properties, and selectors read own properties only.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { generateCorpus } from './corpus.js';
import { BASE, backend, call } from './helpers.js';

const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype } as const;

function describePrototypes(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [
      name,
      Reflect.ownKeys(proto).map((k) => `${String(k)}=${typeof Object.getOwnPropertyDescriptor(proto, k)?.value}`).sort(),
    ]),
  );
}

describe('prototype pollution', () => {
  let emulator: Emulator | undefined;
  afterAll(async () => {
    // Should a run pollute, leave the worker clean for the files after this one.
    for (const proto of Object.values(PROTOTYPES)) delete (proto as unknown as Record<string, unknown>).polluted;
    await emulator?.close();
  });

  it('no request with a prototype key changes a built-in prototype of the emulator process', async () => {
    const before = describePrototypes();
    emulator = await createEmulator({});
    const url = await emulator.listen(0);
    expect((await call(url, 'POST', BASE, backend('target', { labels: { app: 'web' } }))).status).toBe(201);
    const cases = generateCorpus().filter((r) => /__proto__|constructor|prototype/.test(`${r.label} ${r.path} ${r.body ?? ''}`));
    expect(cases.length).toBeGreaterThanOrEqual(45);
    for (const r of cases) {
      const res = await fetch(url + r.path, { method: r.method, headers: r.headers, body: r.body ? new Uint8Array(r.body) : undefined });
      await res.arrayBuffer(); // what it answers is bad-input.test.ts's concern
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(describePrototypes()).toEqual(before);
  });
});
