/**
 * openapi.yaml parsed once per content, not once per start: YAML parsing of the document takes
 * ~0.3-0.8 s of a cold process (most of the start-up; see docs/performance.md), JSON.parse of
 * the same tree ~1 ms. An entry is keyed by the SHA-256 of the YAML text, so an edited document
 * is never served stale.
 *
 * The cache is the user's own: `$XDG_CACHE_HOME/apoxy-emulator` (default `~/.cache/...`), made
 * owner-only (0700), each entry written to a temporary file (0600) and renamed into place, so a
 * reader sees a whole entry or none. An entry is used only if it is a regular file owned by this
 * user and writable by nobody else, in a folder of the same kind, and if it records the hash of
 * the YAML it was parsed from and the hash of its own JSON, both matching: a planted, foreign,
 * truncated or edited entry is ignored and rewritten. Any failure only costs the parse.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `$APOXY_EMULATOR_CACHE_DIR`, else `$XDG_CACHE_HOME/apoxy-emulator`, else `~/.cache/apoxy-emulator`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.APOXY_EMULATOR_CACHE_DIR) return env.APOXY_EMULATOR_CACHE_DIR;
  // The XDG spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  let home: string | undefined;
  try {
    home = homedir();
  } catch {
    /* no home directory (a service account): no cache */
  }
  const base = xdg ?? (home ? join(home, '.cache') : undefined);
  return base ? join(base, 'apoxy-emulator') : undefined;
}

/** Owned by this user and not writable by group or others (POSIX; Windows has no uid). */
function ownedAndPrivate(path: string, kind: 'file' | 'dir'): boolean {
  const s = lstatSync(path);
  if (kind === 'file' ? !s.isFile() : !s.isDirectory()) return false;
  if (typeof process.getuid !== 'function') return true;
  return s.uid === process.getuid() && (s.mode & 0o022) === 0;
}

interface Entry {
  /** SHA-256 of the YAML text the value was parsed from. */
  source: string;
  /** SHA-256 of `json`. */
  sha256: string;
  /** The parsed document, as JSON text. */
  json: string;
}

function readEntry(dir: string, file: string, source: string): unknown {
  try {
    if (!ownedAndPrivate(dir, 'dir') || !ownedAndPrivate(file, 'file')) return undefined;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    if (entry.source !== source || typeof entry.json !== 'string' || sha256(entry.json) !== entry.sha256) return undefined;
    return JSON.parse(entry.json);
  } catch {
    return undefined; // not cached yet, or unreadable
  }
}

function writeEntry(dir: string, file: string, source: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(dir, 'dir')) return; // somebody else's folder, or open to others: parse each time
    const json = JSON.stringify(value);
    const entry: Entry = { source, sha256: sha256(json), json };
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file); // atomic: a concurrent reader sees the whole entry or none
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
  }
}

/** The YAML text parsed, from the cache when an entry for exactly this text is there. */
export function parseYamlCached(text: string, dir = cacheDir()): unknown {
  const source = sha256(text);
  const file = dir && join(dir, `openapi-${source.slice(0, 32)}.json`);
  if (dir && file) {
    const cached = readEntry(dir, file, source);
    if (cached !== undefined) return cached;
  }
  const value = parse(text);
  if (dir && file) writeEntry(dir, file, source, value);
  return value;
}
