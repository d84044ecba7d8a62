/**
 * Dependencies point one way (docs/architecture.md, "Dependencies"). Read from the import
 * statements of the sources, `import type` included.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, sourceFiles } from './imports.js';

const graph = importGraph([...sourceFiles('emulator'), ...sourceFiles('contracts'), ...sourceFiles('shipped'), ...sourceFiles('binary')]);

/** The imports of files under `from` that lead into any of `into`. */
function crossing(from: string, into: string[], except: (target: string) => boolean = () => false): string[] {
  return [...graph].flatMap(([file, targets]) =>
    file.startsWith(from) ? targets.filter((t) => into.some((i) => t === i || t.startsWith(i)) && !except(t)).map((t) => `${file} → ${t}`) : [],
  );
}

describe('dependencies point one way', () => {
  it('no module imports itself in a circle', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(importCycles(graph)).toEqual([]);
  });

  it('only the entry points import the file that assembles the emulator', () => {
    const importers = [...graph].filter(([, targets]) => targets.includes('emulator/emulator.ts')).map(([f]) => f).sort();
    expect(importers).toEqual(['emulator/cli.ts', 'emulator/cli/harness-flags.ts', 'emulator/index.ts', 'emulator/testing.ts']);
    expect(crossing('emulator/context.ts', ['emulator/emulator.ts', 'emulator/http/', 'emulator/faults/'])).toEqual([]);
  });

  it('fault injection and the HTTP layer do not import each other (shared names live in shared-names.ts)', () => {
    expect(crossing('emulator/faults/', ['emulator/http/'])).toEqual([]);
    expect(crossing('emulator/http/', ['emulator/faults/'])).toEqual([]);
  });

  it('machinery and resource definitions know nothing of HTTP, features, storage engines or the assembly (the store only by its entry)', () => {
    const above = ['emulator/http/', 'emulator/faults/', 'emulator/simulate/', 'emulator/cli', 'emulator/emulator.ts', 'emulator/context.ts', 'emulator/testing.ts', 'emulator/admin-client.ts'];
    const storeEntry = (t: string) => t === 'emulator/store/types.ts' || t === 'emulator/store/index.ts';
    expect(crossing('emulator/machinery/', [...above, 'emulator/store/'], storeEntry)).toEqual([]);
    expect(crossing('emulator/resources/', [...above, 'emulator/store/'])).toEqual([]);
    expect(crossing('emulator/openapi/', [...above, 'emulator/store/'])).toEqual([]);
    expect(crossing('emulator/store/', ['emulator/http/', 'emulator/faults/', 'emulator/simulate/', 'emulator/machinery/', 'emulator/emulator.ts'])).toEqual([]);
  });

  it("the shipped-files finder imports neither side; only the executable's entry imports both", () => {
    expect(graph.has('shipped/files.ts')).toBe(true);
    expect(crossing('shipped/', ['emulator/', 'contracts/', 'binary/'])).toEqual([]);
    expect(crossing('emulator/', ['binary/', 'contracts/'])).toEqual([]);
    expect(crossing('contracts/', ['binary/', 'emulator/'])).toEqual([]);
  });
});
