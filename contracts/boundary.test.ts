/**
 * The contract suite judges servers, the emulator among them: it depends on openapi.yaml and on
 * nothing under emulator/, so that a mistake in the emulator cannot pass its own judge.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSpecifier, ROOT, sourceFiles, specifiers } from '../test/imports.js';

/** Specifiers that lead into the emulator: a path under emulator/, or the package's own name. */
function intoEmulator(file: string, spec: string): boolean {
  if (spec === 'apoxy-emulator' || spec.startsWith('apoxy-emulator/')) return true;
  const target = resolveSpecifier(file, spec);
  return target === 'emulator' || target.startsWith('emulator/');
}

describe('contracts/ depends on openapi.yaml, never on emulator/', () => {
  it('finds the kinds of import it looks for', () => {
    const e = 'emulator'; // spelt out, the scan below would find these samples in this very file
    const sample = `import { a } from '../${e}/x.js';\nimport type { B } from "./b.js";\nexport * from '../c.js';\nimport './side-effect.js';\nconst m = await import('../${e}/y.js');\nrequire("z");`;
    expect(specifiers(sample)).toEqual([`../${e}/x.js`, './b.js', '../c.js', './side-effect.js', `../${e}/y.js`, 'z']);
    expect(intoEmulator('contracts/runner/run.ts', `../../${e}/openapi/document.js`)).toBe(true);
    expect(intoEmulator('contracts/main.ts', 'apoxy-emulator/testing')).toBe(true);
    expect(intoEmulator('contracts/main.ts', './openapi/document.js')).toBe(false);
  });

  it('no file under contracts/, tests included, imports from emulator/', () => {
    const files = sourceFiles('contracts', { tests: true });
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((f) => specifiers(readFileSync(join(ROOT, f), 'utf8')).filter((s) => intoEmulator(f, s)).map((s) => `${f} imports ${s}`));
    expect(offending).toEqual([]);
  });
});
