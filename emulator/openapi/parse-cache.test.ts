import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readShipped } from '../../shipped/files.js';
import { loadDocument } from './document.js';
import { cacheDir, parseYamlCached } from './parse-cache.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const YAML = 'a: 1\nb: [x, y]\n';
const entryFile = (dir: string, text = YAML) => join(dir, `openapi-${sha256(text).slice(0, 32)}.json`);
/** An entry as the cache writes it, for any value. */
const entry = (value: unknown, text = YAML) => {
  const json = JSON.stringify(value);
  return JSON.stringify({ source: sha256(text), sha256: sha256(json), json });
};
const fresh = () => join(mkdtempSync(join(tmpdir(), 'apoxy-cache-test-')), 'apoxy-emulator');

describe('the parsed-document cache', () => {
  it("lives in the user's cache directory (XDG), not a shared temp folder", () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/somewhere/cache' })).toBe('/somewhere/cache/apoxy-emulator');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative/cache' })).toBe(join(homedir(), '.cache', 'apoxy-emulator')); // the spec: ignore a relative path
    expect(cacheDir({})).toBe(join(homedir(), '.cache', 'apoxy-emulator'));
    expect(cacheDir({ APOXY_EMULATOR_CACHE_DIR: '/x/y' })).toBe('/x/y');
  });

  it('writes an entry atomically, owner-only, in an owner-only folder, and reads it back', () => {
    const dir = fresh();
    expect(parseYamlCached(YAML, dir)).toEqual({ a: 1, b: ['x', 'y'] });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(entryFile(dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([entryFile(dir).slice(dir.length + 1)]); // no temporary file left behind
    // An entry that checks out is used as it is: the value comes from the cache, not from parsing.
    writeFileSync(entryFile(dir), entry({ fromCache: true }), { mode: 0o600 });
    expect(parseYamlCached(YAML, dir)).toEqual({ fromCache: true });
  });

  it('ignores, and rewrites, an entry that does not check out', () => {
    const dir = fresh();
    parseYamlCached(YAML, dir);
    const good = readFileSync(entryFile(dir), 'utf8');
    const tampered = [
      // the JSON edited without its hash
      JSON.stringify({ ...JSON.parse(entry({ a: 1 })), json: JSON.stringify({ evil: true }) }),
      // an entry for another document under this document's name
      entry({ evil: true }, 'other: document\n'),
      '{"truncated',
    ];
    for (const text of tampered) {
      writeFileSync(entryFile(dir), text, { mode: 0o600 });
      expect(parseYamlCached(YAML, dir)).toEqual({ a: 1, b: ['x', 'y'] });
      expect(readFileSync(entryFile(dir), 'utf8')).toBe(good);
    }
  });

  it("ignores an entry others can write, a symlink, and one owned by another user; never writes into others' folders", () => {
    const dir = fresh();
    parseYamlCached(YAML, dir);
    const planted = entry({ planted: true });
    writeFileSync(entryFile(dir), planted);
    chmodSync(entryFile(dir), 0o666);
    expect(parseYamlCached(YAML, dir)).toEqual({ a: 1, b: ['x', 'y'] });

    const other = join(dir, 'elsewhere.json');
    writeFileSync(other, planted, { mode: 0o600 });
    const linked = 'linked: doc\n';
    symlinkSync(other, entryFile(dir, linked));
    writeFileSync(other, entry({ planted: true }, linked), { mode: 0o600 });
    expect(parseYamlCached(linked, dir)).toEqual({ linked: 'doc' });

    if (process.getuid?.() === 0) {
      const foreign = 'foreign: doc\n';
      writeFileSync(entryFile(dir, foreign), entry({ planted: true }, foreign), { mode: 0o600 });
      chownSync(entryFile(dir, foreign), 65534, 65534);
      expect(parseYamlCached(foreign, dir)).toEqual({ foreign: 'doc' });
    }

    const shared = fresh();
    mkdirSync(shared, { recursive: true });
    chmodSync(shared, 0o777);
    writeFileSync(entryFile(shared), planted, { mode: 0o600 });
    expect(parseYamlCached(YAML, shared)).toEqual({ a: 1, b: ['x', 'y'] });
    const unwritten = 'never: written\n';
    parseYamlCached(unwritten, shared);
    expect(existsSync(entryFile(shared, unwritten))).toBe(false);
  });

  it('ignores what the old cache left in the shared temp folder (<tmp>/apoxy-emulator-cache/<hash>.json)', () => {
    const text = readShipped('openapi.yaml');
    // A temp folder of this test's own (TMPDIR, which os.tmpdir() reads): other checkouts on this
    // machine may still run the old code, which must not find the planted document.
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'apoxy-old-cache-'));
    try {
      const old = join(tmpdir(), 'apoxy-emulator-cache');
      mkdirSync(old, { recursive: true });
      writeFileSync(join(old, `${sha256(text).slice(0, 32)}.json`), JSON.stringify({ openapi: '3.0.0', paths: {}, components: { schemas: {} } }));
      expect(loadDocument().raw).toEqual(parse(text));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
