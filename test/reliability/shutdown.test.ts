/**
 * Graceful shutdown under load: SIGTERM while creates and patches are in flight. The process
 * exits 0, and every write it acknowledged is in the data file when it starts again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Running } from '../cli-process.js';
import { BASE, backend, call, startEmulatorProcess, tempDir } from './helpers.js';

describe('SIGTERM during writes', () => {
  const tmp = tempDir();
  let emu: Running | undefined;
  afterAll(async () => {
    await emu?.stop('SIGKILL');
    tmp.cleanup();
  });

  it('finishes in-flight writes and loses no acknowledged one', async () => {
    emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]);
    const url = emu.url;
    expect((await call(url, 'POST', BASE, backend('patched', { labels: { v: '0' } }))).status).toBe(201);
    const created = new Set<string>();
    let ackedV = 0;
    let sentV = 0;
    let stopping: Promise<number | null> | undefined;
    let acked = 0;
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        try {
          if (w === 0) {
            const v = ++sentV;
            const r = await call(url, 'PATCH', `${BASE}/patched`, { metadata: { labels: { v: String(v) } } }, 'application/merge-patch+json');
            if (r.status !== 200) throw new Error(`patch: ${r.status}`);
            ackedV = v;
          } else {
            const r = await call(url, 'POST', BASE, backend(`w${w}-${i}`));
            if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
            created.add(`w${w}-${i}`);
          }
          if (++acked === 150) stopping = emu!.stop('SIGTERM');
        } catch (e) {
          if (stopping) return; // refused or cut off after SIGTERM: not acknowledged
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    expect(await stopping).toBe(0);
    expect(created.size).toBeGreaterThan(100);

    emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]);
    const list = await call(emu.url, 'GET', BASE);
    const names = new Set<string>(list.body.items.map((o: any) => o.metadata.name));
    expect([...created].filter((n) => !names.has(n))).toEqual([]);
    const v = Number(list.body.items.find((o: any) => o.metadata.name === 'patched').metadata.labels.v);
    expect(v).toBeGreaterThanOrEqual(ackedV);
    expect(v).toBeLessThanOrEqual(sentV);
    expect(await emu.stop()).toBe(0);
  });
});
