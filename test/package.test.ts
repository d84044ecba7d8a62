/**
 * The package as people get it: `npm pack`, installed into a fresh project (test/packed.ts), used
 * as the README says. Both bins, the shipped files by name, the programmatic API from ESM and
 * CommonJS, the types under `skipLibCheck: false`, the tarball's contents, and stopping an
 * emulator started in the background through npx.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServing } from './cli-process.js';
import { packedPackage, STALE_FILE, type PackedPackage } from './packed.js';

const run = promisify(execFile);
let pkg: PackedPackage;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

beforeAll(async () => {
  pkg = await packedPackage();
}, 10 * 60_000);

/** Runs a command in the user's project; never throws, gives the exit code. */
async function inProject(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  try {
    const r = await run(cmd, args, { cwd: pkg.project, env: { ...pkg.env, ...opts.env }, timeout: opts.timeout ?? 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

const bin = (name: string) => join(pkg.project, 'node_modules', '.bin', name);

/** `apoxy-emulator serve` from the installed bin, until it prints where it listens. */
const serve = (args: string[] = []) => startServing(bin('apoxy-emulator'), ['serve', '--port', '0', '--in-memory', ...args], { cwd: pkg.project, env: pkg.env });

describe('the tarball', () => {
  it('holds the built code, the shipped files, LICENSE; no source maps, nothing stale, no sources', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'openapi.yaml', 'proto/openapi_v2.proto', 'bin/apoxy-emulator.js', 'bin/apoxy-contracts.js',
      'dist/emulator/index.js', 'dist/emulator/index.d.ts', 'dist/dashboard/index.html', 'dist/dashboard/app.js', 'dist/emulator/testing.d.ts', 'dist/shipped/files.js', 'dist/contracts/cli.js',
      'fixtures/valid/multi-document.yaml', 'contracts/known-divergences/apoxy-server.yaml', 'contracts/scenarios/create.yaml']) {
      expect(pkg.files, f).toContain(f);
    }
    // No source map points at a source the package does not ship: the compiled emulator has none,
    // and the dashboard's (esbuild) carry their sources inside them.
    const selfContained = (f: string) => {
      const m = JSON.parse(readFileSync(join(pkg.installed, f), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      return m.sources.length > 0 && m.sources.every((_, i) => typeof m.sourcesContent?.[i] === 'string');
    };
    expect(pkg.files.filter((f) => f.endsWith('.map') && !selfContained(f))).toEqual([]);
    expect(pkg.files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/dashboard/') && (f.endsWith('.map') || (f.endsWith('.js') && readFileSync(join(pkg.installed, f), 'utf8').includes('sourceMappingURL'))))).toEqual([]);
    expect(pkg.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // dist/ is built from a clean slate: every compiled file has its source in this tree.
    expect(pkg.files).not.toContain(STALE_FILE);
    const orphans = pkg.files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/dashboard/') && f.endsWith('.js')).filter((f) => !existsSync(join(ROOT, f.slice('dist/'.length).replace(/\.js$/, '.ts'))));
    expect(orphans).toEqual([]);
    expect(readFileSync(join(pkg.installed, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  it('says where it comes from and what it needs: repository, homepage, bugs, ESM only, engines', () => {
    const installed = JSON.parse(readFileSync(join(pkg.installed, 'package.json'), 'utf8'));
    expect(installed.repository.url).toMatch(/^git\+https:\/\/github\.com\/[\w.-]+\/apoxy-emulator\.git$/);
    const home = installed.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(installed.homepage).toBe(`${home}#readme`);
    expect(installed.bugs.url).toBe(`${home}/issues`);
    expect(installed.type).toBe('module');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/ESM only/);
  });

  it('asks for a Node.js that every installed dependency accepts, and that loads it with require()', () => {
    const oldest = semver.minVersion(manifest.engines.node)!.version;
    const tooStrict: string[] = [];
    // Every package npm installed for it (real folders; the dev tools linked beside it are not the package's).
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        if (e.name.startsWith('@')) {
          walk(p);
          continue;
        }
        if (!existsSync(join(p, 'package.json'))) continue;
        const range = JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).engines?.node;
        if (range && !semver.satisfies(oldest, range)) tooStrict.push(`${relative(pkg.project, p)} needs node ${range}`);
        if (existsSync(join(p, 'node_modules'))) walk(join(p, 'node_modules'));
      }
    };
    walk(join(pkg.project, 'node_modules'));
    expect(tooStrict).toEqual([]);
    // require() of an ES module graph without top-level await works from Node 20.19 (unflagged).
    expect(semver.gte(oldest, '20.19.0')).toBe(true);
  });
});

describe('the bins', () => {
  it('--help and --version, for both', async () => {
    for (const name of ['apoxy-emulator', 'apoxy-contracts']) {
      const v = await inProject(bin(name), ['--version']);
      expect(v.stdout, name).toBe(`${name} ${manifest.version}\n`);
      expect(v.code).toBe(0);
      const h = await inProject(bin(name), ['--help']);
      expect(h.code, name).toBe(0);
      expect(h.stdout).toContain('--version');
    }
  }, 120_000);

  it('serve; seed --example; the contract suite against it, with the shipped known divergences by name', async () => {
    const emu = await serve();
    try {
      const seeded = await inProject(bin('apoxy-emulator'), ['seed', '--example', '--target', emu.url]);
      expect(seeded.stdout).toMatch(/^8 created, 0 updated, 0 unchanged, 0 failed$/m);
      expect(seeded.code).toBe(0);
      const list = (await (await fetch(`${emu.url}/apis/core.apoxy.dev/v1alpha2/backends`)).json()) as { items: { metadata: { name: string } }[] };
      expect(list.items.map((i) => i.metadata.name)).toContain('multi-two');

      const suite = await inProject(bin('apoxy-contracts'), ['run', '--target', emu.url, '--known-divergences', 'apoxy-server'], { timeout: 180_000 });
      expect(suite.stdout).toMatch(/\d+ passed, 0 failed/);
      expect(suite.code, suite.stdout + suite.stderr).toBe(0);
      const unknown = await inProject(bin('apoxy-contracts'), ['run', '--target', emu.url, '--known-divergences', 'no-such-list']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('no such file, and no built-in list of that name (built in: apoxy-server)');
    } finally {
      await emu.stop();
    }
  }, 240_000); // a contract run, on a machine that runs other suites at once

  it('npx apoxy-emulator serve & … kill $! stops the emulator, not only npm; so does the bin without npx', async () => {
    for (const command of ['npx apoxy-emulator', 'node_modules/.bin/apoxy-emulator']) {
      const log = join(pkg.project, `background-${command.includes('npx') ? 'npx' : 'bin'}.log`);
      const script = `${command} serve --port 0 --in-memory > ${log} 2>&1 &
pid=$!
for i in $(seq 100); do grep -q 'listening on' ${log} && break; sleep 0.1; done
kill $pid
wait $pid 2>/dev/null || true`;
      const r = await inProject('bash', ['-c', script]);
      expect(r.code, r.stderr).toBe(0);
      const url = /listening on (\S+)/.exec(readFileSync(log, 'utf8'))?.[1];
      expect(url, readFileSync(log, 'utf8')).toBeDefined();
      let stopped = false;
      for (let i = 0; i < 50 && !stopped; i++) {
        stopped = await fetch(`${url}/healthz`).then(() => false, () => true);
        if (!stopped) await new Promise((res) => setTimeout(res, 100));
      }
      expect(stopped, `${command}: still serving at ${url}`).toBe(true);
    }
  }, 120_000);
});

describe('the programmatic API', () => {
  it('exports the shipped files: openapi.yaml, fixtures, known divergences, package.json', async () => {
    writeFileSync(join(pkg.project, 'resolve.mjs'), `
for (const spec of ['apoxy-emulator/openapi.yaml', 'apoxy-emulator/fixtures/valid/multi-document.yaml', 'apoxy-emulator/known-divergences/apoxy-server.yaml', 'apoxy-emulator/package.json']) {
  console.log(new URL(import.meta.resolve(spec)).pathname);
}`);
    const r = await inProject('node', ['resolve.mjs']);
    expect(r.stderr).toBe('');
    const paths = r.stdout.trim().split('\n');
    expect(paths.map((p) => relative(pkg.installed, p))).toEqual(['openapi.yaml', 'fixtures/valid/multi-document.yaml', 'contracts/known-divergences/apoxy-server.yaml', 'package.json']);
    for (const p of paths) expect(readFileSync(p, 'utf8')).toBe(readFileSync(join(ROOT, relative(pkg.installed, p)), 'utf8'));
  });

  it('works from ESM (import) and from CommonJS (require)', async () => {
    const body = (load: string) => `${load}
const emulator = await createEmulator({ profile: 'documented', fixedClock: '2026-01-01T00:00:00Z' });
const url = await emulator.listen(0);
const res = await fetch(url + '/apis/core.apoxy.dev/v1alpha2/backends', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ metadata: { name: 'web' }, spec: { endpoints: [{ fqdn: 'web.example.com' }], protocol: 'h2' } }) });
console.log(res.status, (await res.json()).metadata.creationTimestamp);
await emulator.close();
await createEmulator({ profile: 'nope' }).catch((e) => console.log(e.name + ': ' + e.message));`;
    writeFileSync(join(pkg.project, 'esm.mjs'), body(`import { createEmulator } from 'apoxy-emulator';`));
    writeFileSync(join(pkg.project, 'cjs.cjs'), `(async () => {${body(`const { createEmulator } = require('apoxy-emulator');`)}\n})();`);
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      const r = await inProject('node', [file]);
      expect(r.stdout, `${file}: ${r.stderr}`).toBe('201 2026-01-01T00:00:00Z\nEmulatorOptionsError: profile must be apoxy or documented, got "nope"\n');
      expect(r.stderr).not.toMatch(/ExperimentalWarning|Error/);
    }
  }, 120_000);

  it("its types stand alone: tsc (nodenext, strict, skipLibCheck false) without @types/express, and emulator.app is a real type", async () => {
    expect(existsSync(join(pkg.project, 'node_modules', '@types', 'express'))).toBe(false);
    writeFileSync(join(pkg.project, 'tsconfig.types.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true },
      files: ['types-check.ts'],
    }));
    writeFileSync(join(pkg.project, 'types-check.ts'), `import { createServer } from 'node:http';
import { createEmulator, kubeconfig, EmulatorOptionsError, type Emulator, type EmulatorOptions } from 'apoxy-emulator';
import { startTestEmulator, useEmulator, AdminClient, type TestEmulator } from 'apoxy-emulator/testing';

const options: EmulatorOptions = { profile: 'documented', tls: 'self-signed', faults: [{ match: { operation: 'get' }, error: { code: 503 } }] };
const emulator: Emulator = await createEmulator(options);
createServer(emulator.app);
// @ts-expect-error: app is Node's RequestListener; were it \`any\`, this line would compile and the directive fail.
const notANumber: number = emulator.app;
// @ts-expect-error: a misspelt option value is a type error.
await createEmulator({ tls: 'selfsigned' });
const t = await startTestEmulator();
const admin: AdminClient = t.admin;
void [notANumber, admin, kubeconfig({ server: t.url }), EmulatorOptionsError, useEmulator as unknown as TestEmulator];
`);
    const r = await inProject('node', [join(pkg.project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.types.json'], { timeout: 150_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);

  it('the public declaration files import only dependencies and node: built-ins', () => {
    const deps = new Set(Object.keys(manifest.dependencies));
    const entries = Object.values(manifest.exports as Record<string, { types?: string } | string>).flatMap((e) => (typeof e === 'object' && e.types ? [e.types] : []));
    expect(entries.length).toBe(2);
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName: spec } of [...info.importedFiles, ...info.referencedFiles, ...info.typeReferenceDirectives]) {
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.d.ts')));
        else bare.add(spec);
      }
    };
    for (const e of entries) visit(join(pkg.installed, e));
    expect(seen.size).toBeGreaterThan(10);
    // A bare import must name a dependency that ships its own types (express does not: its types
    // are @types/express, a devDependency here, so importing it would break a user's tsc).
    const hasOwnTypes = (name: string) => {
      const dir = join(pkg.project, 'node_modules', name);
      const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return !!(m.types || m.typings || existsSync(join(dir, 'index.d.ts')) || JSON.stringify(m.exports ?? {}).includes('"types"'));
    };
    const leaks = [...bare].filter((s) => !s.startsWith('node:')).filter((s) => {
      const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
      return !(deps.has(name) && hasOwnTypes(name)) && !deps.has(`@types/${name}`);
    });
    expect(leaks).toEqual([]);
    expect(statSync(join(pkg.installed, entries[0])).isFile()).toBe(true);
  });
});
