/**
 * The data file is the state a person can read, copy, edit and commit: end to end against the
 * CLI as a real process, on real files (and `emulator.close()` in process).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.js';
import { runCli, startCli, type Running } from './cli-process.js';
import { BASE, backend, call } from './reliability/helpers.js';

const dirs: string[] = [];
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-data-file-'));
  dirs.push(dir);
  return { dir, file: join(dir, 'backends.json') };
}

async function serve(file: string, ...extra: string[]): Promise<Running> {
  const r = await startCli(['serve', '--port', '0', '--data', file, ...extra]);
  running.push(r);
  return r;
}

/** Starts the CLI expecting it to refuse; resolves with its exit code and stderr. */
async function refused(file: string): Promise<{ code: number | null; stderr: string }> {
  return runCli(['serve', '--port', '0', '--data', file]);
}

async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const names = async (url: string) => (await call(url, 'GET', BASE)).body.items.map((o: any) => o.metadata.name);
const dataOf = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('after a clean stop the data file alone holds the state', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: journal folded and removed; a copy of the file alone starts with the same objects`, async () => {
      const { dir, file } = fresh();
      const emu = await serve(file);
      for (const n of ['c', 'a', 'b']) expect((await call(emu.url, 'POST', BASE, backend(n))).status).toBe(201);
      expect((await call(emu.url, 'PATCH', `${BASE}/a`, { metadata: { labels: { team: 'x' } } }, 'application/merge-patch+json')).status).toBe(200);
      expect((await call(emu.url, 'DELETE', `${BASE}/c`)).status).toBe(200);
      const before = (await call(emu.url, 'GET', BASE)).body;
      expect(await emu.stop(signal)).toBe(0);

      expect(readdirSync(dir)).toEqual(['backends.json']);
      const data = dataOf(file);
      expect(data.format).toBe('apoxy-emulator/v2');
      expect(data.resourceVersion).toBe(Number(before.metadata.resourceVersion));
      expect(data.resources.backends.map((o: any) => o.metadata.name)).toEqual(['a', 'b']);

      const elsewhere = fresh();
      copyFileSync(file, elsewhere.file);
      const copy = await serve(elsewhere.file);
      const after = (await call(copy.url, 'GET', BASE)).body;
      expect(after.items).toEqual(before.items);
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      const next = await call(copy.url, 'POST', BASE, backend('d'));
      expect(Number(next.body.metadata.resourceVersion)).toBe(Number(before.metadata.resourceVersion) + 1);
      expect(copy.stderr).toEqual([]); // nothing to warn about in a file the emulator wrote
    });
  }

  it('emulator.close(): the same, in process', async () => {
    const { dir, file } = fresh();
    const emulator = await createEmulator({ dataFile: file, onWarning: (m) => { throw new Error(m); } });
    const url = await emulator.listen(0);
    expect((await call(url, 'POST', BASE, backend('inproc'))).status).toBe(201);
    await emulator.close();
    expect(readdirSync(dir)).toEqual(['backends.json']);
    expect(dataOf(file).resources.backends.map((o: any) => o.metadata.name)).toEqual(['inproc']);
  });
});

describe('the data file is made for git', () => {
  it('a label added to one object of 1,000 changes only that object\'s lines and the resourceVersion line', async () => {
    const { dir, file } = fresh();
    const seed = join(dir, 'seed.yaml');
    writeFileSync(seed, Array.from({ length: 1000 }, (_, i) => JSON.stringify(backend(`b-${String(i).padStart(4, '0')}`))).join('\n---\n'));
    const first = await serve(file, '--seed', seed);
    await until('the seed', () => first.stdout.includes('seeded 1000 of 1000 objects'));
    expect(await first.stop('SIGINT')).toBe(0);
    copyFileSync(file, join(dir, 'before.json'));

    const second = await serve(file);
    expect((await call(second.url, 'PATCH', `${BASE}/b-0500`, { metadata: { labels: { reviewed: 'yes' } } }, 'application/merge-patch+json')).status).toBe(200);
    expect(await second.stop('SIGTERM')).toBe(0);

    // What `git diff` would show, by diff(1): the changed lines of the new file.
    const diff = spawnSync('diff', ['--unchanged-line-format=', '--old-line-format=-%dn\n', '--new-line-format=+%dn %L', join(dir, 'before.json'), file], { encoding: 'utf8' }).stdout;
    const added = diff.split('\n').filter((l) => l.startsWith('+')).map((l) => ({ line: Number(l.slice(1, l.indexOf(' '))), text: l.slice(l.indexOf(' ') + 1) }));
    const removed = diff.split('\n').filter((l) => l.startsWith('-'));
    const after = readFileSync(file, 'utf8').split('\n');
    const nameAt = after.indexOf('          "name": "b-0500",');
    expect(after[nameAt - 4]).toBe('      {'); // then kind, apiVersion, metadata, name
    const start = nameAt - 3; // 1-based line numbers, as diff gives them
    const end = after.indexOf('      },', nameAt) + 1;
    expect(added[0]).toEqual({ line: 3, text: `  "resourceVersion": ${dataOf(file).resourceVersion},` });
    for (const a of added.slice(1)) expect(a.line >= start && a.line <= end, `line ${a.line}: ${a.text}`).toBe(true);
    expect(added.map((a) => a.text)).toContain('            "reviewed": "yes"');
    expect(removed.length).toBe(2); // the two resourceVersions
    expect(added.length).toBeLessThan(30);
  });
});

describe('hand edits', () => {
  async function stoppedWith(...objects: string[]): Promise<{ dir: string; file: string }> {
    const f = fresh();
    const emu = await serve(f.file);
    for (const n of objects) expect((await call(emu.url, 'POST', BASE, backend(n))).status).toBe(201);
    expect(await emu.stop('SIGINT')).toBe(0);
    return f;
  }

  it('an edited spec is served after a restart, with no warning', async () => {
    const { file } = await stoppedWith('edited', 'other', 'zz-last');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"fqdn": "edited.example.com"', '"fqdn": "changed-by-hand.example.com"').replace('"fqdn": "zz-last.example.com"', '"fqdn": "-"'));
    const emu = await serve(file);
    const got = await call(emu.url, 'GET', `${BASE}/edited`);
    expect(got.body.spec.endpoints).toEqual([{ fqdn: 'changed-by-hand.example.com' }]);
    // Objects are checked in name order: once the last one is warned about, the others were checked.
    await until('the check of the last object', () => emu.stderr.some((l) => l.includes('Backend "zz-last"')));
    expect(emu.stderr.filter((l) => !l.includes('Backend "zz-last"'))).toEqual([]);
  });

  it('an edit the API would refuse is loaded and served as stored, with a warning naming the object and the field', async () => {
    const { file } = await stoppedWith('bad', 'good');
    const data = dataOf(file);
    const bad = data.resources.backends.find((o: any) => o.metadata.name === 'bad');
    bad.spec.endpoints = [{ fqdn: 'not a domain name!' }];
    bad.spec.protocol = 42;
    writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
    const emu = await serve(file);
    const got = await call(emu.url, 'GET', `${BASE}/bad`);
    expect(got.status).toBe(200);
    expect(got.body.spec).toMatchObject({ endpoints: [{ fqdn: 'not a domain name!' }], protocol: 42 });
    await until('the warning', () => emu.stderr.some((l) => l.includes('Backend "bad"')));
    expect(emu.stderr.join('\n')).toMatch(/warning: Backend "bad" in .*backends\.json: .*spec\.protocol/);

    bad.spec.protocol = 'h2'; // now the types are right and the domain name is the problem
    expect(await emu.stop('SIGINT')).toBe(0);
    writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
    const again = await serve(file);
    await until('the warning', () => again.stderr.some((l) => l.includes('Backend "bad"')));
    expect(again.stderr.join('\n')).toMatch(/warning: Backend "bad" in .*backends\.json: spec\.endpoints\.\[0\]\.fqdn: Invalid value: "not a domain name!"/);
    expect(again.stderr.join('\n')).not.toContain('"good"');
    // An update through the API is validated as usual.
    expect((await call(again.url, 'PATCH', `${BASE}/bad`, { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')).status).toBe(422);
  });

  it('a hand edit is served in the shape Go writes, as the real server re-encodes what etcd holds: empty omitempty fields gone', async () => {
    const { file } = await stoppedWith('shaped');
    const data = dataOf(file);
    const obj = data.resources.backends.find((o: any) => o.metadata.name === 'shaped');
    obj.metadata.annotations = {};
    obj.metadata.labels = {};
    obj.metadata.finalizers = [];
    obj.spec.endpoints = [{ fqdn: '', ip: '10.0.0.7' }];
    obj.status = { conditions: [] };
    writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
    const emu = await serve(file);
    for (const got of [(await call(emu.url, 'GET', `${BASE}/shaped`)).body, (await call(emu.url, 'GET', BASE)).body.items[0]]) {
      expect(Object.keys(got.metadata)).not.toContain('annotations');
      expect(Object.keys(got.metadata)).not.toContain('labels');
      expect(Object.keys(got.metadata)).not.toContain('finalizers');
      expect(got.spec.endpoints).toEqual([{ ip: '10.0.0.7' }]);
      expect(got.status).toEqual({});
    }
  });

  it('an object added by hand without a resourceVersion gets the next one; a misspelt resource is named; both on stderr', async () => {
    const { file } = await stoppedWith('existing');
    const data = dataOf(file);
    data.resources.backends.push({ apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name: 'added' }, spec: { endpoints: [{ fqdn: 'added.example.com' }], protocol: '' }, status: {} });
    data.resources.backend = [{ ...data.resources.backends[0], metadata: { ...data.resources.backends[0].metadata, name: 'misfiled' } }];
    writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
    const emu = await serve(file);
    const got = await call(emu.url, 'GET', `${BASE}/added`);
    expect(got.body.metadata.resourceVersion).toBe(String(data.resourceVersion + 1));
    expect(emu.stderr.join('\n')).toContain(`warning: ${file}: Backend "added": metadata.resourceVersion is missing; it is now ${data.resourceVersion + 1}`);
    await until('the unserved resource', () => emu.stderr.some((l) => l.includes('resources.backend in')));
    expect(emu.stderr.join('\n')).toContain(`warning: resources.backend in ${file}: not a resource this emulator serves; its object is kept as it is, unserved`);
    expect(await emu.stop('SIGINT')).toBe(0);
    expect(dataOf(file).resources.backends.map((o: any) => o.metadata.name)).toEqual(['added', 'existing']);
  });

  it('an edit that makes the file unreadable stops the start-up with the file, line and problem, and touches nothing', async () => {
    const { dir, file } = await stoppedWith('one', 'two');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const nameLine = lines.findIndex((l) => l.includes('"name": "two"'));
    const cases: [string, string, RegExp][] = [
      ['a missing comma', text.replace('"kind": "Backend",', '"kind": "Backend"'), new RegExp(`${file}:\\d+:\\d+: not valid JSON: comma expected`)],
      ['an object without a name', lines.filter((_, i) => i !== nameLine).join('\n'), new RegExp(`${file}:\\d+: resources\\.backends\\[1\\]: an object without metadata\\.name`)],
      ['two objects with one name', text.replace('"name": "two"', '"name": "one"'), new RegExp(`${file}:\\d+: resources\\.backends\\[1\\]: a second object named "one" \\(the first is at line 6\\)`)],
    ];
    for (const [label, content, message] of cases) {
      writeFileSync(file, content);
      const r = await refused(file);
      expect(r.code, label).toBe(1);
      expect(r.stderr, label).toMatch(message);
      expect(r.stderr, label).toContain('the file was left untouched');
      expect(readFileSync(file, 'utf8'), label).toBe(content);
      expect(readdirSync(dir), label).toEqual(['backends.json']);
    }
  });
});

describe('the journal is bounded while running', () => {
  it('a store that only grows folds its journal into the data file', async () => {
    const { file } = fresh();
    const emu = await serve(file);
    const pending = [];
    for (let i = 0; i < 600; i++) {
      pending.push(call(emu.url, 'POST', BASE, { ...backend(`grow-${i}`), spec: { endpoints: [{ fqdn: `grow-${i}.example.com` }], protocol: 'h2' } }));
      if (pending.length === 16) expect((await Promise.all(pending.splice(0))).every((r) => r.status === 201)).toBe(true);
    }
    await Promise.all(pending);
    await until('a fold', () => !existsSync(`${file}.journal.old`) && dataOf(file).resources.backends?.length > 200);
    expect(statSync(`${file}.journal`).size).toBeLessThan(statSync(file).size);
    await emu.stop('SIGKILL');
    const again = await serve(file);
    expect((await names(again.url)).length).toBe(600);
  });

  it('a journal past 4 MiB is folded even while the data file is larger', async () => {
    const { file } = fresh();
    const note = (v: number) => ({ metadata: { annotations: { note: `${v}:`.padEnd(200_000, '.') } } });
    const emu = await serve(file);
    for (let i = 0; i < 40; i++) expect((await call(emu.url, 'POST', BASE, { ...backend(`big-${i}`), ...note(0), metadata: { name: `big-${i}`, ...note(0).metadata } })).status).toBe(201);
    expect(await emu.stop('SIGINT')).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(8_000_000); // twice the limit: the file's own size would allow a journal this long

    const again = await serve(file);
    let largest = 0;
    let folded = false;
    const mtime = statSync(file).mtimeMs;
    for (let v = 1; v <= 45; v++) {
      expect((await call(again.url, 'PATCH', `${BASE}/big-${v % 40}`, note(v), 'application/merge-patch+json')).status).toBe(200);
      largest = Math.max(largest, statSync(`${file}.journal`).size);
      folded ||= existsSync(`${file}.journal.old`) || statSync(file).mtimeMs !== mtime;
    }
    expect(folded).toBe(true);
    expect(largest).toBeLessThan(4 * 1024 * 1024 + 1_000_000); // the limit, plus what was written while the fold ran
    await again.stop('SIGKILL');
    const third = await serve(file);
    expect((await call(third.url, 'GET', `${BASE}/big-5`)).body.metadata.annotations.note.startsWith('45:')).toBe(true);
  });
});

describe('apoxy-emulator compact', () => {
  it('folds a stopped emulator\'s journal into its file, and refuses a file in use', async () => {
    const { dir, file } = fresh();
    const emu = await serve(file);
    for (const n of ['x', 'y']) expect((await call(emu.url, 'POST', BASE, backend(n))).status).toBe(201);

    const lockedJournal = readFileSync(`${file}.journal`);
    const inUse = await runCli(['compact', '--data', file]);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/in use by another apoxy-emulator \(pid \d+\)/);
    expect(readFileSync(`${file}.journal`)).toEqual(lockedJournal);

    await emu.stop('SIGKILL'); // the journal is left beside the file
    expect(existsSync(`${file}.journal`)).toBe(true);
    const r = await runCli(['compact', '--data', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`folded the journal into ${file} (2 objects, resourceVersion 2)`);
    expect(readdirSync(dir)).toEqual(['backends.json']);
    expect(dataOf(file).resources.backends.map((o: any) => o.metadata.name)).toEqual(['x', 'y']);

    const again = await runCli(['compact', '--data', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already holds the whole state');

    const missing = await runCli(['compact', '--data', join(dir, 'nothing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no data file at');
    expect(existsSync(join(dir, 'nothing.json'))).toBe(false);
  });
});
