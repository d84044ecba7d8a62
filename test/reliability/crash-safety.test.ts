/**
 * Crash safety: SIGKILL the emulator in the middle of a storm of creates and patches, restart it
 * on the same data file, ten rounds. Every acknowledged write survives, the file always loads,
 * and the resourceVersion never goes backwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Running } from '../cli-process.js';
import { BASE, backend, call, startEmulatorProcess, tempDir } from './helpers.js';

const ROUNDS = 10;
const WORKERS = 8;

describe('SIGKILL during writes', () => {
  const tmp = tempDir();
  let emu: Running | undefined;
  afterAll(async () => {
    await emu?.stop('SIGKILL');
    tmp.cleanup();
  });

  it('keeps every acknowledged write across ten crashes', async () => {
    const created = new Set<string>(); // acknowledged creates
    const ackedV = new Array<number>(WORKERS).fill(0); // last acknowledged patch value per worker
    const sentV = new Array<number>(WORKERS).fill(0); // last patch value sent per worker
    let maxAckedRV = 0;
    let lastListRV = 0;

    const verify = async (url: string) => {
      const list = await call(url, 'GET', BASE);
      expect(list.status).toBe(200);
      const rv = Number(list.body.metadata.resourceVersion);
      expect(rv).toBeGreaterThanOrEqual(maxAckedRV);
      expect(rv).toBeGreaterThanOrEqual(lastListRV);
      lastListRV = rv;
      const names = new Set<string>(list.body.items.map((o: any) => o.metadata.name));
      const missing = [...created].filter((n) => !names.has(n));
      expect(missing).toEqual([]);
      for (let w = 0; w < WORKERS; w++) {
        const obj = list.body.items.find((o: any) => o.metadata.name === `worker-${w}`);
        if (!ackedV[w]) continue;
        // A patch may have become durable without its answer arriving, never the other way round.
        const v = Number(obj.metadata.labels.v);
        expect(v).toBeGreaterThanOrEqual(ackedV[w]);
        expect(v).toBeLessThanOrEqual(sentV[w]);
      }
    };

    for (let round = 0; round <= ROUNDS; round++) {
      emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]); // rejects if the file does not load
      const url = emu.url;
      await verify(url);
      if (round === ROUNDS) break;
      if (round === 0) {
        for (let w = 0; w < WORKERS; w++) {
          const r = await call(url, 'POST', BASE, backend(`worker-${w}`, { labels: { v: '0' } }));
          expect(r.status).toBe(201);
          created.add(`worker-${w}`);
        }
      }

      // The storm: each worker alternates a create and a patch of its own object, until the kill.
      const killAfter = 60 + ((round * 37) % 200); // acknowledged writes this round before SIGKILL
      let acked = 0;
      let killed: Promise<unknown> | undefined;
      const ack = (rv: string) => {
        maxAckedRV = Math.max(maxAckedRV, Number(rv));
        if (++acked >= killAfter && !killed) killed = emu!.stop('SIGKILL');
      };
      const worker = async (w: number) => {
        for (let i = 0; !killed; i++) {
          try {
            if (i % 2 === 0) {
              const name = `r${round}-w${w}-${i}`;
              const r = await call(url, 'POST', BASE, backend(name));
              if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
              created.add(name);
              ack(r.body.metadata.resourceVersion);
            } else {
              const v = ++sentV[w];
              const r = await call(url, 'PATCH', `${BASE}/worker-${w}`, { metadata: { labels: { v: String(v) } } }, 'application/merge-patch+json');
              if (r.status !== 200) throw new Error(`patch worker-${w}: ${r.status} ${JSON.stringify(r.body)}`);
              ackedV[w] = Math.max(ackedV[w], v);
              ack(r.body.metadata.resourceVersion);
            }
          } catch (e) {
            if (killed) return; // the request died with the process: not acknowledged
            throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      await killed;
      expect(acked).toBeGreaterThanOrEqual(killAfter);
    }
    expect(created.size).toBeGreaterThan(ROUNDS * 30);
    await emu!.stop();
    // Eleven process start-ups and ten write storms: ~13 s on an idle machine, ~25 s on a
    // loaded one. The guard is for a hang, not a speed requirement.
  }, 120_000);
});
