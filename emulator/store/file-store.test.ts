/**
 * The file store from every state a stop or a crash can leave on disk: a clean stop (the data
 * file alone), a torn journal line, a fold cut short, a journal that outgrows the store or the
 * size limit while running. Real files in a temp directory; crashes are the files they leave.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../resources/types.js';
import { DATA_FORMAT, DataFileError, FileStore, JOURNAL_LIMIT_BYTES } from './file-store.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'apoxy-store-')), 'backends.json');
const obj = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ kind: 'Backend', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { name }, spec: {}, ...extra });
const names = (s: FileStore) => [...s.list('backends')].map((o) => o.metadata.name);
const put = (s: FileStore, o: KubeObject) => s.commit({ op: 'put', resource: 'backends', object: o }).durable;
const line = (m: object) => JSON.stringify(m) + '\n';
const stored = (name: string, rv: number): KubeObject => ({ ...obj(name), metadata: { name, resourceVersion: String(rv) } });
const dataFile = (rv: number, objects: KubeObject[]) => JSON.stringify({ format: DATA_FORMAT, resourceVersion: rv, resources: { backends: objects } }, null, 2) + '\n';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('FileStore', () => {
  it('after close, the data file alone holds the state: pretty, objects in name order, nothing beside it', async () => {
    const path = file();
    const s = await FileStore.open(path);
    for (const n of ['b', 'c', 'a']) await put(s, obj(n));
    await s.commit({ op: 'delete', resource: 'backends', name: 'c' }).durable;
    await s.close();
    expect(readdirSync(dirname(path))).toEqual([basename(path)]);
    const text = readFileSync(path, 'utf8');
    const data = JSON.parse(text);
    expect(text).toBe(JSON.stringify(data, null, 2) + '\n');
    expect(data.format).toBe(DATA_FORMAT);
    expect(data.resourceVersion).toBe(4);
    expect(data.resources.backends.map((o: KubeObject) => o.metadata.name)).toEqual(['a', 'b']);
    const again = await FileStore.open(path);
    expect(names(again)).toEqual(['a', 'b']);
    expect(again.resourceVersion).toBe(4);
    expect(again.get('backends', 'a')!.metadata.resourceVersion).toBe('3');
    await again.close();
  });

  it('drops a torn last journal line (never acknowledged) and keeps what came before it', async () => {
    const path = file();
    writeFileSync(path, dataFile(1, [stored('a', 1)]));
    writeFileSync(`${path}.journal`, line({ op: 'put', resource: 'backends', object: stored('b', 2), rv: 2 }) + '{"op":"put","resource":"backends","object":{"metadata":{"na');
    const s = await FileStore.open(path);
    expect(names(s)).toEqual(['a', 'b']);
    await put(s, obj('c'));
    await s.close();
    const again = await FileStore.open(path);
    expect(names(again)).toEqual(['a', 'b', 'c']);
    expect(again.resourceVersion).toBe(3);
    await again.close();
  });

  it('finishes a fold cut short: old data file, the journal being folded and the new journal', async () => {
    const path = file();
    writeFileSync(path, dataFile(1, [stored('a', 1)]));
    writeFileSync(`${path}.journal.old`, line({ op: 'put', resource: 'backends', object: stored('b', 2), rv: 2 }));
    writeFileSync(`${path}.journal`, line({ op: 'put', resource: 'backends', object: stored('c', 3), rv: 3 }));
    const s = await FileStore.open(path);
    expect(names(s)).toEqual(['a', 'b', 'c']);
    expect(s.resourceVersion).toBe(3);
    await until(() => !existsSync(`${path}.journal.old`)); // folded in the background
    expect(JSON.parse(readFileSync(path, 'utf8')).resources.backends.map((o: KubeObject) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    await put(s, obj('d'));
    await s.close();
    const again = await FileStore.open(path);
    expect(names(again)).toEqual(['a', 'b', 'c', 'd']);
    await again.close();
  });

  it('folds while running when the journal outgrows the data file, also when the store only grows', async () => {
    const path = file();
    const s = await FileStore.open(path);
    const writes = [];
    for (let i = 0; i < 800; i++) writes.push(put(s, obj(`o${String(i).padStart(4, '0')}`, { spec: { note: 'x'.repeat(500) } })));
    await Promise.all(writes); // about 600 KB of journal for a store that only grows
    await until(() => !existsSync(`${path}.journal.old`));
    const folded = JSON.parse(readFileSync(path, 'utf8'));
    expect(folded.resources.backends.length).toBeGreaterThan(300);
    expect(statSync(`${path}.journal`).size).toBeLessThan(statSync(path).size);
    await s.close();
    const again = await FileStore.open(path);
    expect(again.count('backends')).toBe(800);
    await again.close();
  });

  it(`folds a journal past ${JOURNAL_LIMIT_BYTES / 1024 / 1024} MiB even when the data file is larger`, async () => {
    const path = file();
    const big = (i: number, v: number) => obj(`big${i}`, { spec: { note: `${v}`.padEnd(200_000, '.') } });
    const s = await FileStore.open(path);
    await Promise.all(Array.from({ length: 30 }, (_, i) => put(s, big(i, 0))));
    await s.close(); // a data file of about 6 MB
    const dataBytes = statSync(path).size;
    expect(dataBytes).toBeGreaterThan(JOURNAL_LIMIT_BYTES);
    const again = await FileStore.open(path);
    let largest = 0;
    for (let v = 1; v <= 40; v++) {
      await put(again, big(v % 30, v)); // 8 MB of patches in all
      if (existsSync(`${path}.journal`)) largest = Math.max(largest, statSync(`${path}.journal`).size);
    }
    expect(largest).toBeLessThan(JOURNAL_LIMIT_BYTES + 400_000); // the limit, plus the writes made while the fold ran
    await again.close();
    const third = await FileStore.open(path);
    expect((third.get('backends', 'big10')!.spec as { note: string }).note.startsWith('40.')).toBe(true);
    await third.close();
  });

  it('reads the map layout of the first format and writes the list layout at the next fold', async () => {
    const path = file();
    writeFileSync(path, JSON.stringify({ format: 'apoxy-emulator/v1', resourceVersion: 2, resources: { backends: { b: stored('b', 2), a: stored('a', 1) } } }));
    const s = await FileStore.open(path);
    expect(names(s)).toEqual(['a', 'b']);
    await s.close();
    const data = JSON.parse(readFileSync(path, 'utf8'));
    expect(data).toMatchObject({ format: DATA_FORMAT, resourceVersion: 2 });
    expect(data.resources.backends.map((o: KubeObject) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('gives a hand-added object without a resourceVersion the next one, and sorts hand-added objects in', async () => {
    const path = file();
    writeFileSync(path, dataFile(5, [stored('m', 5), obj('c'), { ...obj('a'), metadata: { name: 'a', resourceVersion: 'abc' } }]));
    const s = await FileStore.open(path);
    expect(s.notes).toEqual([
      'Backend "c": metadata.resourceVersion is missing; it is now 6',
      'Backend "a": metadata.resourceVersion "abc" is not a resourceVersion; it is now 7',
    ]);
    expect(names(s)).toEqual(['a', 'c', 'm']);
    expect(s.resourceVersion).toBe(7);
    await s.close();
    const data = JSON.parse(readFileSync(path, 'utf8'));
    expect(data.resourceVersion).toBe(7);
    expect(data.resources.backends.map((o: KubeObject) => [o.metadata.name, o.metadata.resourceVersion])).toEqual([['a', '7'], ['c', '6'], ['m', '5']]);
  });

  it('refuses a file it cannot read, naming the line, and leaves every file untouched', async () => {
    const cases: [string, string, RegExp][] = [
      ['syntax', '{\n  "format": "apoxy-emulator/v2",\n  "resourceVersion": 1,\n  "resources": {\n    "backends": [\n      {"metadata": {"name": "a"},}\n    ]\n  }\n}\n', /backends\.json:6:34: not valid JSON: property name expected$/],
      ['no name', dataFile(1, [stored('a', 1), { kind: 'Backend', metadata: {} } as KubeObject]), /backends\.json:\d+: resources\.backends\[1\]: an object without metadata\.name$/],
      ['two of one name', dataFile(2, [stored('a', 1), stored('a', 2)]), /backends\.json:15: resources\.backends\[1\]: a second object named "a" \(the first is at line 6\)$/],
      ['not a list', JSON.stringify({ format: DATA_FORMAT, resourceVersion: 0, resources: { backends: {} } }), /resources\.backends: must be a list of objects$/],
      ['negative resourceVersion', JSON.stringify({ format: DATA_FORMAT, resourceVersion: -1, resources: {} }), /resourceVersion: must be a whole number, 0 or more/],
    ];
    for (const [label, content, message] of cases) {
      const path = file();
      writeFileSync(path, content);
      writeFileSync(`${path}.journal`, line({ op: 'put', resource: 'backends', object: stored('z', 9), rv: 9 }));
      const err = await FileStore.open(path).catch((e: Error) => e);
      expect(err, label).toBeInstanceOf(DataFileError);
      expect((err as Error).message, label).toMatch(message);
      expect(readFileSync(path, 'utf8'), label).toBe(content);
      expect(readdirSync(dirname(path)).sort(), label).toEqual(['backends.json', 'backends.json.journal']);
    }
  });

  it('refuses a journal damaged before its last line, leaving it untouched', async () => {
    const path = file();
    writeFileSync(path, dataFile(0, []));
    const damaged = '{garbage\n' + line({ op: 'put', resource: 'backends', object: stored('b', 2), rv: 2 });
    writeFileSync(`${path}.journal`, damaged);
    await expect(FileStore.open(path)).rejects.toBeInstanceOf(DataFileError);
    expect(readFileSync(`${path}.journal`, 'utf8')).toBe(damaged);
  });
});
