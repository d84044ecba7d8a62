/**
 * Recovery of the file store from every state a crash can leave on disk: a torn journal line,
 * a compaction stopped between rotating the journal and writing the snapshot, many writes
 * folded into the snapshot. Real files in a temp directory.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../resources/types.js';
import { DataFileError, FileStore } from './file-store.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'apoxy-store-')), 'backends.json');
const obj = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name }, spec: {}, ...extra });
const names = (s: FileStore) => [...s.list('backends')].map((o) => o.metadata.name);

describe('FileStore', () => {
  it('serves exactly the acknowledged writes after a reopen, with the counter persisted', async () => {
    const path = file();
    const s = await FileStore.open(path);
    await s.commit({ op: 'put', resource: 'backends', object: obj('a') }).durable;
    await s.commit({ op: 'put', resource: 'backends', object: obj('b') }).durable;
    await s.commit({ op: 'delete', resource: 'backends', name: 'a' }).durable;
    await s.close();
    const again = await FileStore.open(path);
    expect(names(again)).toEqual(['b']);
    expect(again.resourceVersion).toBe(3);
    expect(again.get('backends', 'b')!.metadata.resourceVersion).toBe('2');
    await again.close();
  });

  it('drops a torn last journal line (never acknowledged) and appends cleanly after it', async () => {
    const path = file();
    const s = await FileStore.open(path);
    await s.commit({ op: 'put', resource: 'backends', object: obj('a') }).durable;
    await s.close();
    appendFileSync(`${path}.journal`, '{"op":"put","resource":"backends","object":{"metadata":{"na'); // the crash
    const again = await FileStore.open(path);
    expect(names(again)).toEqual(['a']);
    await again.commit({ op: 'put', resource: 'backends', object: obj('b') }).durable;
    await again.close();
    const third = await FileStore.open(path);
    expect(names(third)).toEqual(['a', 'b']);
    expect(third.resourceVersion).toBe(2);
    await third.close();
  });

  it('recovers a compaction cut short: old snapshot, rotated journal and new journal', async () => {
    const path = file();
    const s = await FileStore.open(path);
    for (const n of ['a', 'b']) await s.commit({ op: 'put', resource: 'backends', object: obj(n) }).durable;
    await s.close(); // snapshot: empty at rv 0 (written at first open); journal: a, b
    const journal = readFileSync(`${path}.journal`, 'utf8');
    // The state a crash leaves after rotating the journal, before the new snapshot is written.
    writeFileSync(`${path}.journal.old`, journal);
    writeFileSync(`${path}.journal`, JSON.stringify({ op: 'put', resource: 'backends', object: { ...obj('c'), metadata: { name: 'c', resourceVersion: '3' } }, rv: 3 }) + '\n');
    const again = await FileStore.open(path);
    expect(names(again)).toEqual(['a', 'b', 'c']);
    expect(again.resourceVersion).toBe(3);
    expect(existsSync(`${path}.journal.old`)).toBe(false); // folded into the snapshot at start
    await again.close();
  });

  it('folds a journal longer than the store into the lowdb snapshot, and loads it back', async () => {
    const path = file();
    const s = await FileStore.open(path);
    const writes = [];
    for (let i = 0; i < 1200; i++) writes.push(s.commit({ op: 'put', resource: 'backends', object: obj(`o${i % 10}`, { spec: { n: i } }) }).durable);
    await Promise.all(writes); // 1200 journal lines for 10 objects
    await s.commit({ op: 'put', resource: 'backends', object: obj('last') }).durable; // finds the journal too long
    await s.close(); // waits for the compaction
    const snapshot = JSON.parse(readFileSync(path, 'utf8'));
    expect(snapshot).toMatchObject({ format: 'apoxy-emulator/v1', resourceVersion: 1201 });
    expect(Object.keys(snapshot.resources.backends)).toHaveLength(11);
    expect(readFileSync(`${path}.journal`, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(10);
    const again = await FileStore.open(path);
    expect(again.count('backends')).toBe(11);
    expect(again.resourceVersion).toBe(1201);
    expect(again.get('backends', 'o9')!.spec).toEqual({ n: 1199 });
    await again.close();
  });

  it('refuses damage it cannot explain, leaving the files untouched', async () => {
    const path = file();
    const s = await FileStore.open(path);
    await s.commit({ op: 'put', resource: 'backends', object: obj('a') }).durable;
    await s.commit({ op: 'put', resource: 'backends', object: obj('b') }).durable;
    await s.close();
    const lines = readFileSync(`${path}.journal`, 'utf8').split('\n');
    const damaged = ['{garbage', ...lines.slice(1)].join('\n'); // a bad line that is not the last
    writeFileSync(`${path}.journal`, damaged);
    await expect(FileStore.open(path)).rejects.toBeInstanceOf(DataFileError);
    expect(readFileSync(`${path}.journal`, 'utf8')).toBe(damaged);
  });
});
