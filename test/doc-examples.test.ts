/**
 * Examples that cannot rot: every code block of the documentation that is meant to be run is
 * run, against the packed package installed into a fresh project (test/packed.ts). Which blocks
 * run, and how, is said once in test/doc-examples.ts.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentationFiles } from '../scripts/docs-usage.js';
import { ROOT, startServing } from './cli-process.js';
import { blockName, documentationBlocks, NOT_CODE, OWN_SUITES, portsIn, prepareShell, RUN, startsEmulator, withPorts, type Block } from './doc-examples.js';
import { packedPackage, type PackedPackage } from './packed.js';

const blocks = documentationBlocks(ROOT, documentationFiles());
const runnable = blocks.filter((b) => (RUN as readonly string[]).includes(b.lang) && !b.notRun);
const where = (b: Block) => `${b.file}:${b.line}`;
const isModule = (b: Block) => b.lang === 'ts' || b.lang === 'js';
const usesVitest = (b: Block) => /from 'vitest'/.test(b.code);
const usesNodeTest = (b: Block) => /from 'node:test'/.test(b.code);
const sourceName = (b: Block) => `${blockName(b)}${usesVitest(b) ? '.test' : ''}.${b.lang}`;
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0;

describe('the code blocks of the documentation', () => {
  it('are each of a known kind; each one not run says why', () => {
    const known = [...RUN, ...NOT_CODE, ...OWN_SUITES] as readonly string[];
    expect(blocks.filter((b) => !known.includes(b.lang)).map((b) => `${where(b)} \`\`\`${b.lang}`)).toEqual([]);
    expect(blocks.filter((b) => b.notRun !== undefined && !(RUN as readonly string[]).includes(b.lang)).map(where)).toEqual([]);
    expect(runnable.filter(isModule).length).toBeGreaterThanOrEqual(5);
    expect(runnable.filter((b) => b.lang === 'sh').length).toBeGreaterThanOrEqual(8);
  });

  it('a shell block gets free ports, waits for an emulator it starts, and fails on an HTTP error', () => {
    const code = 'npx apoxy-emulator serve --port 8443 --tls &\ncurl -s http://127.0.0.1:8080/x localhost:8443\nnpx apoxy-emulator serve &  # default\n';
    expect(portsIn(code)).toEqual([8080, 8443]);
    const script = prepareShell(code, new Map([[8080, 40001], [8443, 40002]]));
    expect(script).toContain('npx apoxy-emulator serve --port 40002 --tls &\n__ready https://127.0.0.1:40002\ncurl -s http://127.0.0.1:40001/x localhost:40002');
    expect(script).toContain('npx apoxy-emulator serve --port 40001 &  # default\n__ready http://127.0.0.1:40001');
    // In the foreground it would never end: it goes to the background, on the block's port.
    expect(prepareShell("npx apoxy-emulator serve --cors-allowed-origins '^x$'   # a comment\n", new Map([[8080, 40003]])))
      .toContain("npx apoxy-emulator serve --port 40003 --cors-allowed-origins '^x$' &   # a comment\n__ready http://127.0.0.1:40003");
    expect(script).toContain('command curl --fail-with-body');
    expect(startsEmulator(code)).toBe(true);
  });
});

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** The emulator a block that does not start its own talks to, on the block's port for 8080. */
async function startEmulator(pkg: PackedPackage, port: number): Promise<() => Promise<unknown>> {
  const emu = await startServing(join(pkg.project, 'node_modules/.bin/apoxy-emulator'), ['serve', '--port', String(port), '--in-memory'], { cwd: pkg.project, env: pkg.env });
  return emu.stop;
}

/** Runs a command in its own process group; afterwards ends the group (anything the example left in the background). */
function runGroup(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += `\n(timed out after ${opts.timeoutMs} ms)`;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, opts.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* the group is gone */ }
      resolve({ code, out });
    });
  });
}

describe('the examples, run against the packed package in a fresh project', () => {
  let pkg: PackedPackage;
  let env: NodeJS.ProcessEnv;
  let compiled: { code: number; out: string };
  const portMaps = new Map<Block, Map<number, number>>();

  beforeAll(async () => {
    pkg = await packedPackage();
    // Nothing of the vitest running this file may leak into the vitest an example runs under.
    env = Object.fromEntries(Object.entries(pkg.env).filter(([k]) => !/^VITEST|^TEST$|^NODE_ENV$/.test(k)));
    const dir = join(pkg.project, 'examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    for (const b of runnable) {
      // Every shell block meets an emulator at the documented address, 127.0.0.1:8080.
      const ports = [...new Set([...portsIn(b.code), ...(b.lang === 'sh' ? [8080] : [])])];
      const free = await freePorts(ports.length);
      portMaps.set(b, new Map(ports.map((p, i) => [p, free[i]])));
      if (isModule(b)) writeFileSync(join(dir, sourceName(b)), withPorts(b.code, portMaps.get(b)!));
    }
    writeFileSync(join(pkg.project, 'tsconfig.examples.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, outDir: 'examples-out', rootDir: 'examples' },
      include: ['examples'],
    }, null, 2));
    compiled = await promisify(execFile)('node', [join(pkg.project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.examples.json'], { cwd: pkg.project, env })
      .then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e: { stdout?: string; stderr?: string }) => ({ code: 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }));
  }, 10 * 60_000);

  it('type-check together: TypeScript with module nodenext, strict, skipLibCheck false', () => {
    expect(compiled.out).toBe('');
    expect(compiled.code).toBe(0);
  });

  for (const b of runnable) {
    const needsKubectl = /\bkubectl\b/.test(b.code);
    const skip = needsKubectl && kubectlMissing && !process.env.CI;
    it.skipIf(skip)(`${where(b)} (${b.lang}${needsKubectl ? ', kubectl' : ''}) runs`, async () => {
      const ports = portMaps.get(b)!;
      const url = ports.has(8080) ? `http://127.0.0.1:${ports.get(8080)}` : undefined;
      const stop = url && !startsEmulator(b.code) ? await startEmulator(pkg, ports.get(8080)!) : undefined;
      rmSync(join(pkg.project, '.data'), { recursive: true, force: true }); // the default data file: each block starts empty
      const blockEnv: NodeJS.ProcessEnv = { ...env, ...(url ? { APOXY_EMULATOR_URL: url } : {}) };
      try {
        const runs: [string, string[], NodeJS.ProcessEnv][] = [];
        if (b.lang === 'sh') runs.push(['bash', ['-c', prepareShell(b.code, ports)], blockEnv]);
        else if (usesVitest(b)) {
          const vitest = [join(pkg.project, 'node_modules/vitest/vitest.mjs'), 'run', `examples/${sourceName(b)}`];
          const { CI: _ci, ...local } = blockEnv;
          runs.push(['node', vitest, local]);
          // A snapshot written by the first run must match in the second, as CI checks it.
          if (/toMatchSnapshot/.test(b.code)) runs.push(['node', vitest, { ...blockEnv, CI: 'true' }]);
        } else {
          const js = `examples-out/${sourceName(b).replace(/\.ts$/, '.js')}`;
          runs.push(['node', usesNodeTest(b) ? ['--test', js] : [js], blockEnv]);
        }
        for (const [cmd, args, e] of runs) {
          const r = await runGroup(cmd, args, { cwd: pkg.project, env: e, timeoutMs: 100_000 });
          expect(r.code, `${where(b)}:\n${r.out}`).toBe(0);
        }
      } finally {
        await stop?.();
      }
    }, 120_000);
  }
});
