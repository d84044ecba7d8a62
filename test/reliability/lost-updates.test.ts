/**
 * No lost updates: 20 clients × 25 read-modify-write cycles on one Backend, each update carrying
 * the resourceVersion it read (optimistic concurrency, as controllers do). Every attempt is
 * either a success or a 409 Conflict, and the object ends up with exactly the successful writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../cli-process.js';
import { BASE, backend, call, startEmulatorProcess, tempDir } from './helpers.js';

const CLIENTS = 20;
const CYCLES = 25;

describe('concurrent read-modify-write', () => {
  let emu: Running;
  const tmp = tempDir();
  beforeAll(async () => {
    emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]);
  });
  afterAll(async () => {
    await emu?.stop();
    tmp.cleanup();
  });

  it('counts every attempt as a success or a Conflict, and keeps exactly the successful writes', async () => {
    expect((await call(emu.url, 'POST', BASE, backend('counter', { annotations: { count: '0', log: '' } }))).status).toBe(201);
    const successes: string[] = [];
    let conflicts = 0;
    const other: string[] = [];

    const client = async (c: number) => {
      for (let i = 0; i < CYCLES; i++) {
        const read = await call(emu.url, 'GET', `${BASE}/counter`);
        expect(read.status).toBe(200);
        const obj = read.body;
        const id = `${c}.${i}`;
        obj.metadata.annotations.count = String(Number(obj.metadata.annotations.count) + 1);
        obj.metadata.annotations.log = obj.metadata.annotations.log ? `${obj.metadata.annotations.log} ${id}` : id;
        const write = await call(emu.url, 'PUT', `${BASE}/counter`, obj); // carries the resourceVersion it read
        if (write.status === 200) {
          successes.push(id);
          expect(Number(write.body.metadata.resourceVersion)).toBeGreaterThan(Number(obj.metadata.resourceVersion));
        } else if (write.status === 409 && write.body?.reason === 'Conflict') {
          conflicts++;
        } else {
          other.push(`${write.status} ${JSON.stringify(write.body)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    expect(other).toEqual([]);
    expect(successes.length + conflicts).toBe(CLIENTS * CYCLES);
    expect(successes.length).toBeGreaterThan(0);
    const final = (await call(emu.url, 'GET', `${BASE}/counter`)).body;
    expect(Number(final.metadata.annotations.count)).toBe(successes.length);
    const log: string[] = final.metadata.annotations.log.split(' ');
    expect(log.length).toBe(successes.length);
    expect([...log].sort()).toEqual([...successes].sort());
    // Each client's writes appear in the order it made them.
    for (let c = 0; c < CLIENTS; c++) {
      const mine = log.filter((id) => id.startsWith(`${c}.`)).map((id) => Number(id.split('.')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });
});
