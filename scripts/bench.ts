/**
 * `npm run bench`: throughput, latency, start-up, memory and watch delivery of the emulator,
 * measured against the compiled CLI running as its own process on fresh data files, with
 * autocannon as the load generator. Prints one table. Figures, not assertions: see
 * docs/performance.md for the targets and the last recorded run.
 *
 *   npm run bench [-- --duration 5 --connections 10 --rounds 2]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import {
  ROOT, BACKENDS, startProcess, startEmulator, writeSnapshot, makeTemplate, residentMemoryMB, watchBench,
  type Proc,
} from './bench-lib.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);

interface Row {
  name: string;
  value: string;
  p50?: string;
  p99?: string;
  target?: string;
}
const rows: Row[] = [];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

async function load(opts: autocannon.Options): Promise<LoadResult> {
  const started = performance.now();
  const r = await autocannon(opts.amount ? { connections: CONNECTIONS, ...opts } : { connections: CONNECTIONS, duration: DURATION, ...opts });
  const total = r.requests.total;
  // A run given an `amount` ends when it is done: requests/s is the total over the time it took.
  const rps = opts.amount ? total / ((performance.now() - started) / 1000) : r.requests.average;
  return { rps, p50: r.latency.p50, p99: r.latency.p99, total, non2xx: r.non2xx, errors: r.errors };
}

const best = (a: LoadResult | undefined, b: LoadResult) => (!a || b.rps > a.rps ? b : a);

const createBody = (name: string) => JSON.stringify({ metadata: { name }, spec: { endpoints: [{ fqdn: `${name}.example.com` }], protocol: 'h2' } });

/** Creates <prefix>0, <prefix>1, ... for the run's duration. */
function createRound(url: string, prefix: string, duration = DURATION): Promise<LoadResult> {
  let i = 0;
  return load({
    url: `${url}${BACKENDS}`,
    duration,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: createBody(`${prefix}${i++}`) }) }],
  });
}

/** Deletes <prefix>0 ... <prefix>(count-1). */
function deleteAll(url: string, prefix: string, count: number): Promise<LoadResult> {
  let i = 0;
  return load({
    url: `${url}${BACKENDS}`,
    amount: count,
    requests: [{ method: 'DELETE', setupRequest: (req) => ({ ...req, path: `${BACKENDS}/${prefix}${i++}` }) }],
  });
}

function record(name: string, r: LoadResult, target?: string): void {
  const problems = r.non2xx || r.errors ? ` (${r.non2xx} non-2xx, ${r.errors} errors)` : '';
  rows.push({ name, value: `${fmt(r.rps)} req/s${problems}`, p50: `${r.p50} ms`, p99: `${r.p99} ms`, target });
}

function buildIfStale(): void {
  const built = join(ROOT, 'dist/emulator/cli.js');
  const newestSource = (dir: string): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
    }
    return t;
  };
  if (existsSync(built) && statSync(built).mtimeMs > newestSource(join(ROOT, 'emulator'))) return;
  process.stderr.write('building dist/ (npm run build)...\n');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    // tsc still emits on type errors (elsewhere in the tree, e.g. work in progress); the emulator's JS is what counts.
    if (!existsSync(built)) throw new Error('npm run build did not produce dist/emulator/cli.js');
    process.stderr.write('warning: npm run build reported errors; benchmarking the JavaScript it emitted\n');
  }
}

async function main(): Promise<void> {
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-bench-'));
  const procs: Proc[] = [];
  try {
    const template = await makeTemplate(join(dir, 'template.json'));

    // --- Request mix on a store of 1,000 Backends ------------------------------------------
    const mixFile = join(dir, 'mix.json');
    writeSnapshot(mixFile, template, 1000, 'b-');
    const emu = await startEmulator(mixFile);
    procs.push(emu);
    const one = `${emu.url}${BACKENDS}/b-00500`;
    const body = await (await fetch(one)).text();
    const minimal = await startProcess([join(ROOT, 'scripts/minimal-express.mjs')], { BODY: body });
    procs.push(minimal);
    const minimalOne = `${minimal.url}${BACKENDS}/b-00500`;
    // Warm both up (JIT), then alternate and keep each one's best round: other load on the
    // machine then penalizes neither side more than the other.
    await load({ url: one, duration: 1 });
    await load({ url: minimalOne, duration: 1 });
    let getEmu: LoadResult | undefined;
    let getMin: LoadResult | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      getEmu = best(getEmu, await load({ url: one }));
      getMin = best(getMin, await load({ url: minimalOne }));
    }
    await minimal.stop();
    record('GET one Backend', getEmu!);
    record('list 100 Backends (limit=100)', await load({ url: `${emu.url}${BACKENDS}?limit=100` }));
    record('list 1,000 Backends', await load({ url: `${emu.url}${BACKENDS}` }));
    // Reads through v1alpha convert from the stored v1alpha2 objects: once per object, then the
    // converted copy (and its JSON) is reused. Alternated with the same reads through v1alpha2.
    const V1ALPHA = BACKENDS.replace('/v1alpha2/', '/v1alpha/');
    const versus: Record<string, (LoadResult | undefined)[]> = { 'GET one Backend': [], 'list 1,000 Backends': [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, base] of [BACKENDS, V1ALPHA].entries()) {
        versus['GET one Backend'][i] = best(versus['GET one Backend'][i], await load({ url: `${emu.url}${base}/b-00500` }));
        versus['list 1,000 Backends'][i] = best(versus['list 1,000 Backends'][i], await load({ url: `${emu.url}${base}` }));
      }
    }
    for (const [what, [v2, v1]] of Object.entries(versus)) {
      record(`${what} through v1alpha`, v1!);
      rows.push({ name: `${what}: ratio v1alpha / v1alpha2`, value: fmt(v1!.rps / v2!.rps, 2), target: '≥ 0.90' });
    }
    const create = await createRound(emu.url, 'c-');
    record('create', create);
    let flip = 0;
    record(
      'merge-patch',
      await load({
        url: one,
        requests: [{
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ metadata: { labels: { n: String(flip++) } } }) }),
        }],
      }),
    );
    record(`delete (the ${fmt(create.total)} created)`, await deleteAll(emu.url, 'c-', create.total));
    record('GET on a minimal Express 5 app', getMin!);
    rows.push({ name: 'GET ratio emulator / minimal Express', value: fmt(getEmu!.rps / getMin!.rps, 2), target: '≥ 0.90' });
    await emu.stop();

    // --- Create throughput as the store grows (file-backed) --------------------------------
    // Both stores are served at once and measured in alternation; after each round the objects
    // it created are deleted again, so every round starts from 100 or 10,000 stored objects.
    const stores = await Promise.all([100, 10_000].map(async (n) => {
      const file = join(dir, `create-${n}.json`);
      writeSnapshot(file, template, n, 'b-');
      const p = await startEmulator(file);
      procs.push(p);
      const warm = await createRound(p.url, 'warm-', 1);
      await deleteAll(p.url, 'warm-', warm.total);
      return p;
    }));
    const results: (LoadResult | undefined)[] = [undefined, undefined];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, p] of stores.entries()) {
        const r = await createRound(p.url, `r${round}-`);
        await deleteAll(p.url, `r${round}-`, r.total);
        results[i] = best(results[i], r);
      }
    }
    for (const p of stores) await p.stop();
    const [c100, c10k] = results as LoadResult[];
    record('create, 100 objects stored', c100);
    record('create, 10,000 objects stored', c10k);
    rows.push({ name: 'create ratio 10,000 / 100 stored', value: fmt(c10k.rps / c100.rps, 2), target: '≥ 0.70' });

    // --- Start-up and memory with 10,000 objects -------------------------------------------
    const bigFile = join(dir, 'big.json');
    writeSnapshot(bigFile, template, 10_000, 'b-');
    const startups: number[] = [];
    let rss = 0;
    for (let round = 0; round < 3; round++) {
      const p = await startEmulator(bigFile, { probe: `${BACKENDS}/b-05000` });
      procs.push(p);
      startups.push(p.startupMs);
      if (round === 0) {
        await fetch(`${p.url}${BACKENDS}`).then((r) => r.arrayBuffer()); // one full list, then measure
        rss = residentMemoryMB(p.child.pid!);
      }
      await p.stop();
    }
    startups.sort((a, b) => a - b);
    rows.push({ name: 'start-up to first GET, 10,000 objects (median of 3)', value: `${fmt(startups[1])} ms`, target: '< 500 ms' });
    rows.push({ name: 'resident memory, 10,000 objects (after a full list)', value: `${fmt(rss)} MB`, target: '< 200 MB' });

    // --- Watch delivery ---------------------------------------------------------------------
    const watchFile = join(dir, 'watch.json');
    const wp = await startEmulator(watchFile);
    procs.push(wp);
    const w = await watchBench(wp.url, 100, 1000);
    await wp.stop();
    rows.push({ name: 'watch: 100 watchers × 1,000 writes, events delivered', value: `${fmt(w.delivered)} / ${fmt(w.expected)}`, target: 'equal' });
    rows.push({ name: 'watch: delivery latency (write sent → event read)', value: '', p50: `${fmt(w.p50, 1)} ms`, p99: `${fmt(w.p99, 1)} ms` });
  } finally {
    for (const p of procs) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const header: Row = { name: 'measure', value: 'result', p50: 'p50', p99: 'p99', target: 'target' };
  const all = [header, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? '').length));
  const line = (r: Row) => `| ${r.name.padEnd(w('name'))} | ${r.value.padEnd(w('value'))} | ${(r.p50 ?? '').padStart(w('p50'))} | ${(r.p99 ?? '').padStart(w('p99'))} | ${(r.target ?? '').padEnd(w('target'))} |`;
  const out = [line(header), `|${['name', 'value', 'p50', 'p99', 'target'].map((k) => '-'.repeat(w(k as keyof Row) + 2)).join('|')}|`, ...rows.map(line)];
  process.stdout.write(
    `\napoxy-emulator benchmark, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}\n` +
      `autocannon: ${CONNECTIONS} connections, ${DURATION} s per run; emulator: compiled CLI, file-backed\n\n` +
      out.join('\n') + '\n',
  );
}

await main();
