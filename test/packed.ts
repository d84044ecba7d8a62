/**
 * The package as a user gets it: `npm pack` of this tree, installed with `npm install` into a
 * fresh project. Made once per test run and shared by every test file that asks for it (the
 * first to ask packs and installs, under a lock; the others wait for it): see
 * packed.global-setup.ts, which gives the run its folder.
 *
 * The pack starts from a copy of the tree's files (tracked and untracked, not ignored: what a
 * commit would hold), so it builds its own dist/ with the package's own `prepare`, never touching
 * the working tree's. A stale file is planted in that copy's dist/ first: the build must clean it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { ROOT } from './cli-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A folder for this test run's packed package (packed.global-setup.ts). */
    packageRunDir: string;
  }
}

export interface PackedPackage {
  /** The .tgz npm pack made. */
  tarball: string;
  /** Every path in the tarball, without the leading `package/`. */
  files: string[];
  /** A fresh project (`"type": "module"`) with the tarball installed. */
  project: string;
  /** The installed package's folder. */
  installed: string;
  /** An environment for commands run in the project: npm's own variables of this run removed. */
  env: NodeJS.ProcessEnv;
}

/** The stale file planted in dist/ before the build (it must not be in the tarball). */
export const STALE_FILE = 'dist/emulator/removed-long-ago.js';

/**
 * Tools a user's project has beside the package, taken from this repository's devDependencies
 * (linked, not downloaded): the TypeScript compiler and Node's types for the type-check, vitest
 * and client-node (whose own types need @types/ws) for the examples that use them. Never
 * @types/express: the package's types must not need it.
 */
const PROJECT_TOOLS = ['typescript', '@types/node', 'vitest', '@kubernetes/client-node', '@types/ws'];

/** The environment without the npm_* variables of an `npm test` around us (npm_config_local_prefix would point npm at this repo). */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.has(k.toLowerCase())).filter(([k]) => k !== 'INIT_CWD'));
}

function copyTree(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(to, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'));
  mkdirSync(dirname(join(to, STALE_FILE)), { recursive: true });
  writeFileSync(join(to, STALE_FILE), '// a leftover of an old build\n');
}

function make(dir: string): PackedPackage {
  const env = cleanEnv();
  const tree = join(dir, 'tree');
  copyTree(tree);
  // npm pack runs `prepare` (npm run build): the tarball holds what this tree builds.
  execFileSync('npm', ['pack', '--pack-destination', dir, '--loglevel', 'warn'], { cwd: tree, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', private: true, type: 'module' }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error', tarball], { cwd: project, env, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const tool of PROJECT_TOOLS) {
    const link = join(project, 'node_modules', tool);
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(join(ROOT, 'node_modules', tool), link);
  }
  return { tarball, files, project, installed: join(project, 'node_modules', 'apoxy-emulator'), env };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let mine: Promise<PackedPackage> | undefined;

/** The packed and installed package of this test run (made by whichever test file asks first). */
export function packedPackage(): Promise<PackedPackage> {
  return (mine ??= (async () => {
    const dir = inject('packageRunDir');
    const ready = join(dir, 'ready.json');
    const failed = join(dir, 'failed.txt');
    const lock = join(dir, 'lock');
    for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; ) {
      if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as PackedPackage;
      if (existsSync(failed)) throw new Error(`packing the package failed (in another test file): ${readFileSync(failed, 'utf8')}`);
      try {
        mkdirSync(lock); // only one test file gets it
      } catch {
        await sleep(250);
        continue;
      }
      try {
        const made = make(dir);
        writeFileSync(ready, JSON.stringify(made));
        return made;
      } catch (e) {
        const err = e as Error & { stderr?: Buffer | string };
        writeFileSync(failed, `${err.message}\n${err.stderr?.toString() ?? ''}`);
        throw e;
      }
    }
    throw new Error('timed out waiting for the packed package');
  })());
}
