/**
 * The contract suite judges servers, the emulator among them: it depends on openapi.yaml and on
 * nothing under emulator/, so that a mistake in the emulator cannot pass its own judge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CONTRACTS = fileURLToPath(new URL('.', import.meta.url));
const EMULATOR = resolve(CONTRACTS, '../emulator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js|mjs|cjs)$/.test(e) ? [p] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, dynamic import(), require(). */
export function specifiers(source: string): string[] {
  const found = [
    ...source.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]/g),
    ...source.matchAll(/\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g),
  ];
  return found.map((m) => m[1]);
}

/** Specifiers that lead into the emulator: a path under emulator/, or the package's own name. */
function intoEmulator(file: string, spec: string): boolean {
  if (spec === 'apoxy-emulator' || spec.startsWith('apoxy-emulator/')) return true;
  if (!spec.startsWith('.')) return false;
  const target = resolve(dirname(file), spec);
  return target === EMULATOR || !relative(EMULATOR, target).startsWith('..');
}

describe('contracts/ depends on openapi.yaml, never on emulator/', () => {
  it('finds the kinds of import it looks for', () => {
    const e = 'emulator'; // spelt out, this file's own scan would find the samples
    const sample = `import { a } from '../${e}/x.js';\nimport type { B } from "./b.js";\nexport * from '../c.js';\nimport './side-effect.js';\nconst m = await import('../${e}/y.js');\nrequire("z");`;
    expect(specifiers(sample)).toEqual([`../${e}/x.js`, './b.js', '../c.js', './side-effect.js', `../${e}/y.js`, 'z']);
    expect(intoEmulator(join(CONTRACTS, 'runner/run.ts'), '../../emulator/openapi/document.js')).toBe(true);
    expect(intoEmulator(join(CONTRACTS, 'main.ts'), 'apoxy-emulator/testing')).toBe(true);
    expect(intoEmulator(join(CONTRACTS, 'main.ts'), './openapi/document.js')).toBe(false);
  });

  it('no file under contracts/ imports from emulator/', () => {
    const files = sourceFiles(CONTRACTS);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((f) => specifiers(readFileSync(f, 'utf8')).filter((s) => intoEmulator(f, s)).map((s) => `${relative(CONTRACTS, f)} imports ${s}`));
    expect(offending).toEqual([]);
  });
});
