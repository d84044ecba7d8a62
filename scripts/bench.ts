/**
 * `npm run bench`: throughput, latency, start-up, folds, memory and watch delivery of the
 * emulator, measured against the compiled CLI running as its own process on fresh data files.
 * Comparisons are measured in alternation in one run, so that other load on the machine
 * penalizes neither side more than the other. Prints one table, then a CPU profile of the GET
 * path. Figures, not assertions: see docs/performance.md for the targets and the last run.
 *
 *   npm run bench [-- --duration 5 --connections 10 --rounds 5 --wrk-connections 32]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { ROOT, BACKENDS, fmt, median, startProcess, startEmulator, writeSnapshot, makeTemplate, residentMemoryMB, watchBench, type Proc } from './bench-lib.js';
import { autocannonLoad, wrkAvailable, wrkLoad, type LoadResult } from './bench-load.js';
import { summarizeProfile, type ProfileSummary } from './bench-profile.js';
import { contractSuiteCost } from './bench-contracts.js';
import { foldPause, killMidway, startupComparison } from './bench-storage.js';
import { startupRows } from './bench-startup.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    'wrk-connections': { type: 'string', default: '32' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);
const WRK_CONNECTIONS = Number(values['wrk-connections']);

interface Row {
  name: string;
  value: string;
  p50?: string;
  p99?: string;
  cpu?: string;
  target?: string;
}
const rows: Row[] = [];
const notes: string[] = [];
const load1 = () => fmt(loadavg()[0], 1);

function load(opts: autocannon.Options, pid?: number): Promise<LoadResult> {
  return autocannonLoad(opts.amount ? { connections: CONNECTIONS, ...opts } : { connections: CONNECTIONS, duration: DURATION, ...opts }, pid);
}

const best = (a: LoadResult | undefined, b: LoadResult) => (!a || b.rps > a.rps ? b : a);

const createBody = (name: string) => JSON.stringify({ metadata: { name }, spec: { endpoints: [{ fqdn: `${name}.example.com` }], protocol: 'h2' } });

/** Creates <prefix>0, <prefix>1, ... for the run's duration. */
function createRound(url: string, prefix: string, duration = DURATION, pid?: number): Promise<LoadResult> {
  let i = 0;
  return load({
    url: `${url}${BACKENDS}`,
    duration,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: createBody(`${prefix}${i++}`) }) }],
  }, pid);
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
  rows.push({ name, value: `${fmt(r.rps)} req/s${problems}`, p50: `${fmt(r.p50, 2)} ms`, p99: `${fmt(r.p99, 2)} ms`, cpu: r.cpuUs ? `${fmt(r.cpuUs)} µs` : undefined, target });
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
  const dashboard = join(ROOT, 'dist/dashboard/app.js');
  const fresh = (file: string, sources: string) => existsSync(file) && statSync(file).mtimeMs > newestSource(join(ROOT, sources));
  if (fresh(built, 'emulator') && fresh(dashboard, 'dashboard')) return;
  process.stderr.write('building dist/ (npm run build)...\n');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    // tsc still emits on type errors (elsewhere in the tree, e.g. work in progress); the emulator's JS is what counts.
    if (!existsSync(built)) throw new Error('npm run build did not produce dist/emulator/cli.js');
    process.stderr.write('warning: npm run build reported errors; benchmarking the JavaScript it emitted\n');
  }
}

/**
 * GET one Backend: the emulator against a one-route Express 5 app serving the same body, with one
 * load generator, `ROUNDS` rounds in alternation (the order flips every round). The ratio is the
 * median of the rounds' ratios; CPU per request is the servers' own, all threads.
 */
async function compareGet(tool: 'autocannon' | 'wrk', emu: Proc, express: Proc, path: string): Promise<void> {
  const run = (p: Proc) =>
    tool === 'wrk' ? wrkLoad(p.url + path, { threads: 1, connections: WRK_CONNECTIONS, durationS: DURATION }, p.child.pid) : load({ url: p.url + path }, p.child.pid);
  await run(emu); // warm-up (JIT) of both, not counted
  await run(express);
  const pairs: { emu: LoadResult; express: LoadResult }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2) {
      const x = await run(express);
      pairs.push({ express: x, emu: await run(emu) });
    } else {
      const e = await run(emu);
      pairs.push({ emu: e, express: await run(express) });
    }
  }
  const label = tool === 'wrk' ? `wrk -t1 -c${WRK_CONNECTIONS}` : `autocannon, ${CONNECTIONS} connections`;
  record(`GET one Backend (${label}), best round`, pairs.map((p) => p.emu).reduce<LoadResult | undefined>(best, undefined)!);
  record(`GET on a one-route Express 5 app (${label}), best round`, pairs.map((p) => p.express).reduce<LoadResult | undefined>(best, undefined)!);
  const ratios = pairs.map((p) => p.emu.rps / p.express.rps);
  rows.push({ name: `GET ratio emulator / one-route Express (${tool}), median of rounds`, value: `${fmt(median(ratios), 2)} (rounds: ${ratios.map((r) => fmt(r, 2)).join(', ')}; load ${load1()})`, target: '≥ 0.90' });
  const cpuRatios = pairs.map((p) => p.express.cpuUs! / p.emu.cpuUs!);
  rows.push({ name: `GET CPU per request, one-route Express / emulator (${tool})`, value: `${fmt(median(cpuRatios), 2)} (rounds: ${cpuRatios.map((r) => fmt(r, 2)).join(', ')})` });
}

/** The emulator under GET load with `node --cpu-prof`: where a request's time goes. */
async function profileGet(dir: string, dataFile: string, path: string): Promise<ProfileSummary> {
  const profDir = join(dir, 'profile');
  const p = await startEmulator(dataFile, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
  const skipMs = p.startupMs + 200; // start-up is not the GET path
  await new Promise((r) => setTimeout(r, 200));
  await load({ url: p.url + path });
  await p.stop('SIGINT'); // the profile is written as the process exits
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('node --cpu-prof wrote no profile');
  return summarizeProfile(join(profDir, file), skipMs);
}

async function main(): Promise<void> {
  buildIfStale();
  const loadAtStart = loadavg().map((l) => fmt(l, 2)).join(', ');
  if (!wrkAvailable()) notes.push('wrk is not installed: the GET comparison ran with autocannon only. Install it with `apt-get install -y wrk` (Debian) to measure with both.');
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-bench-'));
  const procs: Proc[] = [];
  let profile: ProfileSummary | undefined;
  try {
    const template = await makeTemplate(join(dir, 'template.json'));

    // --- GET against a one-route Express app, on a store of 1,000 Backends -----------------
    const mixFile = join(dir, 'mix.json');
    await writeSnapshot(mixFile, template, 1000, 'b-');
    const emu = await startEmulator(mixFile);
    procs.push(emu);
    const onePath = `${BACKENDS}/b-00500`;
    const body = await (await fetch(emu.url + onePath)).text();
    const express = await startProcess([join(ROOT, 'scripts/express-one-route.mjs')], { env: { BODY: body }, probe: onePath });
    procs.push(express);
    await compareGet('autocannon', emu, express, onePath);
    if (wrkAvailable()) await compareGet('wrk', emu, express, onePath);
    await express.stop();

    // --- The rest of the request mix on the same store ----------------------------------------
    const one = `${emu.url}${onePath}`;
    record('list 100 Backends (limit=100)', await load({ url: `${emu.url}${BACKENDS}?limit=100` }, emu.child.pid));
    record('list 1,000 Backends', await load({ url: `${emu.url}${BACKENDS}` }, emu.child.pid));
    // Reads through v1alpha convert from the stored v1alpha2 objects: once per object, then the
    // converted copy (and its JSON) is reused. Alternated with the same reads through v1alpha2.
    const V1ALPHA = BACKENDS.replace('/v1alpha2/', '/v1alpha/');
    const versus: Record<string, (LoadResult | undefined)[]> = { 'GET one Backend': [], 'list 1,000 Backends': [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, base] of [BACKENDS, V1ALPHA].entries()) {
        versus['GET one Backend'][i] = best(versus['GET one Backend'][i], await load({ url: `${emu.url}${base}/b-00500` }, emu.child.pid));
        versus['list 1,000 Backends'][i] = best(versus['list 1,000 Backends'][i], await load({ url: `${emu.url}${base}` }, emu.child.pid));
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
    await emu.stop();

    // --- Where the GET time goes ----------------------------------------------------------------
    profile = await profileGet(dir, mixFile, onePath);

    // --- Create throughput as the store grows (file-backed, journal limits in force) -------------
    // Both stores are served at once and measured in alternation; after each round the objects
    // it created are deleted again, so every round starts from 100 or 10,000 stored objects.
    const stores = await Promise.all([100, 10_000].map(async (n) => {
      const file = join(dir, `create-${n}.json`);
      await writeSnapshot(file, template, n, 'b-');
      const p = await startEmulator(file);
      procs.push(p);
      const warm = await createRound(p.url, 'warm-', 1);
      await deleteAll(p.url, 'warm-', warm.total);
      return p;
    }));
    const results: (LoadResult | undefined)[] = [undefined, undefined];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, p] of stores.entries()) {
        const r = await createRound(p.url, `r${round}-`, DURATION, p.child.pid);
        await deleteAll(p.url, `r${round}-`, r.total);
        results[i] = best(results[i], r);
      }
    }
    for (const p of stores) await p.stop();
    const [c100, c10k] = results as LoadResult[];
    record('create, 100 objects stored', c100);
    record('create, 10,000 objects stored', c10k);
    rows.push({ name: 'create ratio 10,000 / 100 stored (best rounds)', value: `${fmt(c10k.rps / c100.rps, 2)} (CPU per create ${fmt(c100.cpuUs! / c10k.cpuUs!, 2)}; load ${load1()})`, target: '≥ 0.70' });

    // --- Start-up: empty, 10,000 objects after a clean stop, after a SIGKILL mid-way ---------------
    const cleanFile = join(dir, 'clean', 'backends.json');
    await writeSnapshot(cleanFile, template, 10_000, 'b-');
    const killed = await killMidway(join(dir, 'killed'), 11_000);
    const s = await startupComparison(join(dir, 'startups'), cleanFile, killed, 5);
    const startRow = (name: string, ms: number, cpuMs: number) => rows.push({ name, value: `${fmt(ms)} ms`, cpu: `${fmt(cpuMs)} ms` });
    startRow('start-up to the first list (limit=500), empty store (median of 5)', s.emptyMs, s.emptyCpuMs);
    startRow('start-up, 10,000 objects left by a clean stop', s.cleanMs, s.cleanCpuMs);
    rows.push({ name: 'start-up ratio 10,000 objects (clean stop) / empty', value: `${fmt(s.cleanMs / s.emptyMs, 2)} (CPU ${fmt(s.cleanCpuMs / s.emptyCpuMs, 2)}; load ${load1()})`, target: '≤ 1.30' });
    startRow(`start-up after SIGKILL mid-way through 11,000 creates (${fmt(killed.acknowledged)} acknowledged, ${fmt(killed.journalBytes / 1024 / 1024, 1)} MB of journal)`, s.killedMs, s.killedCpuMs);
    rows.push({ name: 'start-up ratio after SIGKILL / empty', value: `${fmt(s.killedMs / s.emptyMs, 2)} (CPU ${fmt(s.killedCpuMs / s.emptyCpuMs, 2)}; load ${load1()})`, target: '≤ 2.00' });
    rows.push({ name: 'acknowledged objects missing after the SIGKILL', value: fmt(s.missing), target: '0' });

    // --- The longest pause a fold of 10,000 objects causes -----------------------------------------
    const f = await foldPause(dir, cleanFile);
    rows.push({ name: `fold of 10,000 objects (the first after start, ${fmt(f.foldMs)} ms): longest event-loop pause`, value: `${fmt(f.longestMs, 1)} ms (${fmt(f.quietLongestMs, 1)} ms in a second without a fold)` });

    // --- Memory with 10,000 objects ----------------------------------------------------------------
    const big = await startEmulator(cleanFile);
    procs.push(big);
    await fetch(`${big.url}${BACKENDS}`).then((r) => r.arrayBuffer()); // one full list, then measure
    rows.push({ name: 'resident memory, 10,000 objects (after a full list)', value: `${fmt(residentMemoryMB(big.child.pid!))} MB`, target: '< 200 MB' });
    await big.stop();

    // --- The dashboard at start-up: its files are built by npm run build, nothing at start ------
    const ui: Record<'on' | 'off', Proc[]> = { on: [], off: [] };
    for (let round = 0; round < 5; round++) {
      for (const [key, args] of [['on', []], ['off', ['--no-ui']]] as const) {
        const p = await startEmulator(undefined, { args: [...args] });
        procs.push(p);
        ui[key].push(p);
        await p.stop();
      }
    }
    const mid = (ps: Proc[], k: 'startupMs' | 'startupCpuMs') => ps.map((p) => p[k]).sort((a, b) => a - b)[Math.floor(ps.length / 2)];
    rows.push({
      name: 'start-up, empty store: dashboard on / --no-ui (alternated, medians of 5)',
      value: `${fmt(mid(ui.on, 'startupMs') / mid(ui.off, 'startupMs'), 2)} (${fmt(mid(ui.on, 'startupMs'))} / ${fmt(mid(ui.off, 'startupMs'))} ms; CPU ${fmt(mid(ui.on, 'startupCpuMs') / mid(ui.off, 'startupCpuMs'), 2)})`,
      target: '≤ 1.05',
    });

    // --- Contract suite: what recording and verifying add to a run -----------------------------
    const c = await contractSuiteCost(dir);
    rows.push({ name: 'contract suite: run, every scenario (best of 3)', value: `${fmt(c.runMs)} ms` });
    rows.push({ name: 'contract suite: record / run', value: `${fmt(c.recordMs / c.runMs, 2)} (load ${load1()})`, target: '≤ 1.25' });
    rows.push({ name: 'contract suite: verify / run', value: `${fmt(c.verifyMs / c.runMs, 2)} (load ${load1()})`, target: '≤ 1.25' });

    // --- Start-up: node bin/, without the parse cache, the single-file executable ------------
    rows.push(...(await startupRows()));

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

  const header: Row = { name: 'measure', value: 'result', p50: 'p50', p99: 'p99', cpu: 'CPU/req', target: 'target' };
  const all = [header, ...rows];
  const keys: (keyof Row)[] = ['name', 'value', 'p50', 'p99', 'cpu', 'target'];
  const w = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? '').length));
  const cell = (r: Row, k: keyof Row) => (k === 'p50' || k === 'p99' || k === 'cpu' ? (r[k] ?? '').padStart(w(k)) : (r[k] ?? '').padEnd(w(k)));
  const line = (r: Row) => `| ${keys.map((k) => cell(r, k)).join(' | ')} |`;
  const out = [line(header), `|${keys.map((k) => '-'.repeat(w(k) + 2)).join('|')}|`, ...rows.map(line)];
  const pct = (x: number) => `${fmt(x * 100, 1)} %`.padStart(7);
  const prof = profile
    ? [
        `\nCPU profile of the emulator under GET load (node --cpu-prof, autocannon ${CONNECTIONS} connections, ${DURATION} s; busy ${fmt(profile.busyMs)} ms):`,
        '  by origin:',
        ...profile.origins.map((o) => `  ${pct(o.share)}  ${o.origin}`),
        '  top self time:',
        ...profile.top.map((t) => `  ${pct(t.share)}  ${t.name}`),
      ].join('\n')
    : '';
  process.stdout.write(
    `\napoxy-emulator benchmark, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}\n` +
      `load average at the start: ${loadAtStart} (1, 5, 15 min); at the end: ${loadavg().map((l) => fmt(l, 2)).join(', ')}\n` +
      `autocannon: ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} rounds in alternation; emulator: compiled CLI, file-backed; CPU/req: the server's CPU time per request, all threads\n\n` +
      out.join('\n') + '\n' + prof + '\n' + notes.map((n) => `\nnote: ${n}`).join('') + '\n',
  );
}

await main();
