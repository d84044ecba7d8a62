/**
 * Storage figures for scripts/bench.ts: start-up on an empty store, on 10,000 objects left by a
 * clean stop and after a SIGKILL in the middle of 11,000 writes (measured in alternation), and the
 * longest pause a fold of 10,000 objects causes to the requests served meanwhile.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { BACKENDS, median, ROOT, startEmulator, type Proc } from './bench-lib.js';

/** The start-up probe: the first page of a list, as `kubectl get` asks for it (limit=500). */
const STARTUP_PROBE = `${BACKENDS}?limit=500`;

/** Copies the data file and whatever lies beside it (journals) into a fresh directory. */
function copyData(file: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const from = join(file, '..');
  const base = file.slice(from.length + 1);
  for (const f of readdirSync(from)) if (f.startsWith(base) && !f.endsWith('.lock')) copyFileSync(join(from, f), join(dir, f));
  return join(dir, base);
}

export interface KilledStore {
  file: string;
  acknowledged: number;
  /** Bytes of journal (and of a journal being folded) left beside the data file. */
  journalBytes: number;
}

/**
 * Creates `total` Backends, 16 at a time, and SIGKILLs the emulator once half of them are
 * acknowledged. Returns the files it left and the names it acknowledged.
 */
export async function killMidway(dir: string, total: number): Promise<KilledStore & { names: Set<string> }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'backends.json');
  const p = await startEmulator(file);
  const names = new Set<string>();
  let next = 0;
  let killed: Promise<void> | undefined;
  const writer = async () => {
    while (!killed && next < total) {
      const name = `k-${String(next++).padStart(5, '0')}`;
      try {
        const r = await fetch(`${p.url}${BACKENDS}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ metadata: { name, labels: { app: 'bench' } }, spec: { endpoints: [{ fqdn: `${name}.example.com` }], protocol: 'h2' } }),
        });
        await r.arrayBuffer();
        if (r.status !== 201) throw new Error(`create ${name}: ${r.status}`);
        names.add(name);
        if (names.size >= total / 2 && !killed) killed = p.stop('SIGKILL');
      } catch (e) {
        if (killed) return; // died with the process: not acknowledged
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  await killed;
  const journalBytes = ['.journal', '.journal.old'].reduce((n, s) => n + (existsSync(file + s) ? statSync(file + s).size : 0), 0);
  return { file, names, acknowledged: names.size, journalBytes };
}

export interface StartupFigures {
  emptyMs: number;
  emptyCpuMs: number;
  cleanMs: number;
  cleanCpuMs: number;
  killedMs: number;
  killedCpuMs: number;
  /** Acknowledged objects missing after the restart (must be 0). */
  missing: number;
}

/**
 * Start-up to the first 200 of a list, in alternation, `rounds` times each: an empty store, the
 * clean-stop file, and a fresh copy of the files the SIGKILL left. Medians.
 */
export async function startupComparison(work: string, cleanFile: string, killed: KilledStore & { names: Set<string> }, rounds: number): Promise<StartupFigures> {
  const samples = { empty: [] as Proc[], clean: [] as Proc[], killed: [] as Proc[] };
  let missing = -1;
  for (let round = 0; round < rounds; round++) {
    const order: (keyof typeof samples)[] = round % 2 ? ['killed', 'clean', 'empty'] : ['empty', 'clean', 'killed'];
    for (const kind of order) {
      const file =
        kind === 'empty' ? join(work, `empty-${round}`, 'backends.json') :
        kind === 'clean' ? copyData(cleanFile, join(work, `clean-${round}`)) :
        copyData(killed.file, join(work, `killed-${round}`));
      const p = await startEmulator(file, { probe: STARTUP_PROBE });
      samples[kind].push(p);
      if (kind === 'killed' && missing < 0) {
        const list = (await (await fetch(`${p.url}${BACKENDS}`)).json()) as { items: { metadata: { name: string } }[] };
        const present = new Set(list.items.map((o) => o.metadata.name));
        missing = [...killed.names].filter((n) => !present.has(n)).length;
      }
      await p.stop('SIGKILL'); // no fold at the stop: the copies are thrown away
    }
  }
  const ms = (k: keyof typeof samples) => median(samples[k].map((p) => p.startupMs));
  const cpu = (k: keyof typeof samples) => median(samples[k].map((p) => p.startupCpuMs));
  return { emptyMs: ms('empty'), emptyCpuMs: cpu('empty'), cleanMs: ms('clean'), cleanCpuMs: cpu('clean'), killedMs: ms('killed'), killedCpuMs: cpu('killed'), missing };
}

export interface FoldPause {
  /** Longest the event loop was held while the fold ran (every request waits that long at most). */
  longestMs: number;
  /** The same over a second with no fold, before it. */
  quietLongestMs: number;
  foldMs: number;
}

/**
 * The longest pause of the event loop while a fold of `cleanFile` (10,000 objects) runs, measured
 * inside the emulator's process (the emulator is loaded from dist/ into this one, with
 * perf_hooks.monitorEventLoopDelay): the first fold after a start, which encodes every object.
 * The fold is brought on by patches carrying 100 KB annotations until the journal passes its size
 * limit; the writes stop as soon as the journal is set aside (.journal.old).
 */
export async function foldPause(work: string, cleanFile: string): Promise<FoldPause> {
  const file = copyData(cleanFile, join(work, 'fold'));
  const { createEmulator } = (await import(pathToFileURL(join(ROOT, 'dist/emulator/index.js')).href)) as typeof import('../emulator/index.js');
  const emulator = await createEmulator({ dataFile: file, onWarning: () => undefined });
  const url = await emulator.listen(0);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const quietLongestMs = delay.max / 1e6;
    let foldStart = 0;
    let foldEnd = 0;
    const watcher = setInterval(() => {
      const folding = existsSync(`${file}.journal.old`);
      if (folding && !foldStart) {
        foldStart = performance.now();
        delay.reset();
      }
      if (!folding && foldStart && !foldEnd) foldEnd = performance.now();
    }, 1);
    const big = 'x'.repeat(100_000);
    for (let i = 0; !foldStart && i < 200; i++) {
      const r = await fetch(`${url}${BACKENDS}/b-00001`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ metadata: { annotations: { big: `${i}${big}` } } }),
      });
      await r.arrayBuffer();
    }
    const deadline = performance.now() + 30_000;
    while (!foldEnd && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    clearInterval(watcher);
    if (!foldEnd) throw new Error('no fold was seen within 30 s');
    return { longestMs: delay.max / 1e6, quietLongestMs, foldMs: foldEnd - foldStart };
  } finally {
    delay.disable();
    await emulator.close();
  }
}
