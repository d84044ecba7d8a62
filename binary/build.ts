/**
 * `npm run build:binary`: the emulator and the contract suite as one single-file executable for
 * linux-x64 (Node's single executable applications), written to build/sea/apoxy-emulator.
 *
 *  1. esbuild bundles binary/main.ts and everything it imports into one CommonJS file (SEA runs
 *     a CommonJS script whose require() reaches only Node's built-in modules).
 *  2. The files the code reads at run time (openapi.yaml, proto/, the example manifests, the
 *     contract scenarios and known divergences, package.json, the dashboard built by
 *     scripts/build-dashboard.ts) become SEA assets, with
 *     shipped-files.json listing them (shipped/files.ts reads them from there).
 *  3. `node --experimental-sea-config` makes the preparation blob, and postject injects it into
 *     a copy of this Node.js binary.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ASSET_LIST } from '../shipped/files.js';
import { buildDashboard } from '../scripts/build-dashboard.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = join(ROOT, 'build', 'sea');
export const EXECUTABLE = join(OUT_DIR, 'apoxy-emulator');

/** The shipped files the executable carries (shipped/files.ts names them the same way). */
function assetFiles(): string[] {
  const under = (dir: string, ext: RegExp) => readdirSync(join(ROOT, dir)).filter((f) => ext.test(f)).sort().map((f) => `${dir}/${f}`);
  return [
    'openapi.yaml',
    'package.json',
    'proto/openapi_v2.proto',
    ...under('fixtures/valid', /\.(ya?ml|json)$/),
    ...under('contracts/scenarios', /\.ya?ml$/),
    ...under('contracts/known-divergences', /\.yaml$/),
    ...under('dist/dashboard', /./),
  ];
}

/** What the executable is built from: a hash of every file's path and content. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const walk = (rel: string): void => {
    const p = join(ROOT, rel);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(`${rel}/${e}`);
    else hash.update(`${rel}\0`).update(readFileSync(p)).update('\0');
  };
  for (const rel of ['emulator', 'contracts', 'shipped', 'binary', 'dashboard', 'scripts/build-dashboard.ts', 'fixtures/valid', 'proto', 'openapi.yaml', 'package.json', 'package-lock.json']) walk(rel);
  return hash.digest('hex');
}

const STAMP = `${EXECUTABLE}.sources-sha256`;

/** Whether build/sea/apoxy-emulator is missing or was built from other sources than these. */
export function binaryIsStale(): boolean {
  return !existsSync(EXECUTABLE) || !existsSync(STAMP) || readFileSync(STAMP, 'utf8') !== sourcesHash();
}

export async function buildBinary(): Promise<{ file: string; bytes: number }> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`build:binary makes a linux-x64 executable; this is ${process.platform}-${process.arch}`);
  const sources = sourcesHash();
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  await buildDashboard(); // dist/dashboard/, which the executable carries as assets
  const bundle = join(OUT_DIR, 'bundle.cjs');
  await build({
    entryPoints: [join(ROOT, 'binary/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    // Prefer a package's ES module build: a UMD build (jsonc-parser's "main") hides its require()s
    // from the bundler, and the executable's require() reaches only Node's built-in modules.
    mainFields: ['module', 'main'],
    // A CommonJS bundle has no import.meta: give the modules that read it their file's URL
    // (inside the executable shipped/files.ts reads assets instead, never this).
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
  });
  const assets = assetFiles();
  const list = join(OUT_DIR, ASSET_LIST);
  writeFileSync(list, JSON.stringify(assets));
  const config = join(OUT_DIR, 'sea-config.json');
  const blob = join(OUT_DIR, 'sea-prep.blob');
  writeFileSync(config, JSON.stringify({
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true, // compiled once at build time: a faster start
    assets: { [ASSET_LIST]: list, ...Object.fromEntries(assets.map((a) => [a, join(ROOT, a)])) },
  }, null, 2));
  // Both tools are chatty (postject warns of ELF note sections it leaves alone); their output is
  // shown only when they fail (execFileSync's error carries it).
  execFileSync(process.execPath, ['--experimental-sea-config', config], { cwd: OUT_DIR, stdio: 'pipe' });
  copyFileSync(process.execPath, EXECUTABLE);
  chmodSync(EXECUTABLE, 0o755);
  const postject = join(ROOT, 'node_modules/postject/dist/cli.js');
  execFileSync(process.execPath, [postject, EXECUTABLE, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'pipe' });
  for (const f of [bundle, blob, config, list]) rmSync(f);
  writeFileSync(STAMP, sources);
  return { file: EXECUTABLE, bytes: statSync(EXECUTABLE).size };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { file, bytes } = await buildBinary();
  process.stdout.write(`${relative(process.cwd(), file)}: ${(bytes / 2 ** 20).toFixed(1)} MiB (linux-x64, Node.js ${process.versions.node})\n`);
}
