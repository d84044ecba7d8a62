/**
 * The import graph of the sources, read from the text of each file (static imports and
 * re-exports, `import type` included, dynamic import(), require()), for the tests that keep
 * dependencies pointing one way (test/architecture.test.ts, contracts/boundary.test.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every module specifier a source text names. */
export function specifiers(source: string): string[] {
  const found = [
    ...source.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]/g),
    ...source.matchAll(/\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g),
  ];
  return found.map((m) => m[1]);
}

/** Source files under a folder of the repository (relative paths), tests left out unless asked. */
export function sourceFiles(folder: string, opts: { tests?: boolean } = {}): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((e) => {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) return walk(p);
      if (!/\.(ts|js|mjs|cjs)$/.test(e) || e.endsWith('.d.ts')) return [];
      return opts.tests || !/\.(test|fixture)\.ts$/.test(e) ? [relative(ROOT, p)] : [];
    });
  return walk(join(ROOT, folder));
}

/** A relative specifier resolved to a repository path (`.js` read as its `.ts` source); others as written. */
export function resolveSpecifier(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
}

/** file → the repository files it imports (packages left out). */
export function importGraph(files: string[]): Map<string, string[]> {
  return new Map(files.map((f) => [f, specifiers(readFileSync(join(ROOT, f), 'utf8')).filter((s) => s.startsWith('.')).map((s) => resolveSpecifier(f, s))]));
}

/** Groups of files that import each other in a circle (Tarjan's strongly connected components). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
