/**
 * A damaged data file at start: a clear message naming the file, the file left untouched, and
 * `--reset-damaged-data` to move it (and its journal) aside and start empty.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Running } from '../cli-process.js';
import { BASE, backend, call, startEmulatorProcess, tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const c of cleanups.splice(0)) c();
});

function fresh() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

async function start(args: string[]): Promise<Running> {
  const r = await startEmulatorProcess(['serve', '--port', '0', ...args]);
  running.push(r);
  return r;
}

/** Runs the CLI expecting it to stop at start-up; resolves with its error text. */
async function refused(args: string[]): Promise<string> {
  const err = await startEmulatorProcess(['serve', '--port', '0', ...args]).then(
    (r) => {
      running.push(r);
      throw new Error('the emulator started');
    },
    (e: Error) => e.message,
  );
  return err;
}

const damaged: [string, string | Buffer][] = [
  ['not JSON', '{"format":"apoxy-emulator/v1","resourceVersion":3,"resources":{"backends":{'],
  ['empty', ''],
  ['another format', JSON.stringify({ hello: 'world' })],
  ['binary', Buffer.from([0x00, 0xff, 0x13, 0x37])],
  ['object under the wrong name', JSON.stringify({ format: 'apoxy-emulator/v1', resourceVersion: 1, resources: { backends: { a: { metadata: { name: 'b' } } } } })],
];

describe('a damaged data file', () => {
  it('refuses to start, names the file, and leaves it untouched', async () => {
    await Promise.all(
      damaged.map(async ([label, content]) => {
        const t = fresh();
        writeFileSync(t.file, content);
        const message = await refused(['--data', t.file]);
        expect(message, label).toContain('exited with 1');
        expect(message, label).toContain(t.file);
        expect(message, label).toMatch(/--reset-damaged-data/);
        expect(readFileSync(t.file), label).toEqual(Buffer.from(content));
        expect(readdirSync(t.dir).sort(), label).toEqual(['backends.json']);
      }),
    );
  });

  it('refuses a journal damaged before its last line, naming the data file', async () => {
    const t = fresh();
    const first = await start(['--data', t.file]);
    expect((await call(first.url, 'POST', BASE, backend('a'))).status).toBe(201);
    expect((await call(first.url, 'POST', BASE, backend('b'))).status).toBe(201);
    await first.stop('SIGKILL');
    const journal = `${t.file}.journal`;
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[0] = '{"this is": not a journal line';
    writeFileSync(journal, lines.join('\n'));
    const before = readFileSync(journal);
    const message = await refused(['--data', t.file]);
    expect(message).toContain(t.file);
    expect(message).toMatch(/damaged journal entry/);
    expect(readFileSync(journal)).toEqual(before);
  });

  it('--reset-damaged-data moves the file and its journal aside and starts empty', async () => {
    const t = fresh();
    const content = '{"format":"apoxy-emulator/v1", garbage';
    writeFileSync(t.file, content);
    writeFileSync(`${t.file}.journal`, 'journal bytes\n');
    const r = await start(['--data', t.file, '--reset-damaged-data']);
    await new Promise((res) => setTimeout(res, 100)); // stderr arrives line by line
    const moved = readdirSync(t.dir).filter((f) => /^backends\.json\.damaged-[0-9T-]+Z$/.test(f));
    expect(moved).toHaveLength(1);
    expect(readFileSync(join(t.dir, moved[0]), 'utf8')).toBe(content);
    expect(readFileSync(join(t.dir, `${moved[0]}.journal`), 'utf8')).toBe('journal bytes\n');
    expect(r.stderr.join('\n')).toContain(`moved the damaged data to ${join(t.dir, moved[0])}`);
    expect((await call(r.url, 'GET', BASE)).body.items).toEqual([]);
    // The fresh store works and persists.
    expect((await call(r.url, 'POST', BASE, backend('after'))).status).toBe(201);
    expect(await r.stop()).toBe(0);
    const again = await start(['--data', t.file]);
    expect((await call(again.url, 'GET', BASE)).body.items.map((o: any) => o.metadata.name)).toEqual(['after']);
  });

  it('--reset-damaged-data leaves a sound file alone', async () => {
    const t = fresh();
    const first = await start(['--data', t.file]);
    expect((await call(first.url, 'POST', BASE, backend('kept'))).status).toBe(201);
    expect(await first.stop()).toBe(0);
    const r = await start(['--data', t.file, '--reset-damaged-data']);
    expect((await call(r.url, 'GET', BASE)).body.items.map((o: any) => o.metadata.name)).toEqual(['kept']);
    expect(existsSync(t.file)).toBe(true);
    expect(readdirSync(t.dir).some((f) => f.includes('damaged'))).toBe(false);
  });
});
