/**
 * Builds the dashboard (dashboard/) into dist/dashboard/: index.html, app.js (the TypeScript and
 * Preact bundled by esbuild) and app.css. Part of `npm run build`, so the emulator serves ready
 * files and builds nothing at start-up. Each file is written to a temporary name and renamed,
 * so a running emulator never serves half a file.
 *
 *   node --import tsx scripts/build-dashboard.ts
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DASHBOARD_SOURCES = join(ROOT, 'dashboard');
const DASHBOARD_OUT = join(ROOT, 'dist', 'dashboard');

function writeAtomically(file: string, contents: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/** Returns the files written, with their sizes. */
export async function buildDashboard(outDir = DASHBOARD_OUT): Promise<{ file: string; bytes: number }[]> {
  const result = await build({
    entryPoints: { app: join(DASHBOARD_SOURCES, 'src', 'main.tsx') },
    bundle: true,
    write: false,
    outdir: outDir,
    format: 'esm',
    // The Chromium, Firefox and Safari releases of the last years: no transpiling needed.
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  const written: { file: string; bytes: number }[] = [];
  for (const f of result.outputFiles) {
    writeAtomically(f.path, f.contents);
    written.push({ file: basename(f.path), bytes: f.contents.length });
  }
  const html = readFileSync(join(DASHBOARD_SOURCES, 'index.html'));
  writeAtomically(join(outDir, 'index.html'), html);
  written.push({ file: 'index.html', bytes: html.length });
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildDashboard();
  console.log(`dashboard: ${files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(1)} KiB`).join(', ')}`);
}
