/**
 * Load generators for scripts/bench.ts: autocannon (in process) and wrk (Debian's, a process of
 * its own), each run reporting requests/s, latency and the server's CPU time per request (read
 * from /proc, which other load on the machine inflates far less than it does requests/s).
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  /** The server's CPU time (all its threads) per request, µs; when its pid was given. */
  cpuUs?: number;
}

/** CPU time a process has used so far, all threads, µs (Linux /proc/<pid>/task/<tid>/schedstat). */
export function cpuMicros(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return ns / 1000;
}

async function withCpu(pid: number | undefined, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = pid === undefined ? 0 : cpuMicros(pid);
  const r = await run();
  if (pid !== undefined && r.total) r.cpuUs = (cpuMicros(pid) - before) / r.total;
  return r;
}

export async function autocannonLoad(opts: autocannon.Options, pid?: number): Promise<LoadResult> {
  return withCpu(pid, async () => {
    const started = performance.now();
    const r = await autocannon(opts);
    const total = r.requests.total;
    // A run given an `amount` ends when it is done: requests/s is the total over the time it took.
    const rps = opts.amount ? total / ((performance.now() - started) / 1000) : r.requests.average;
    return { rps, p50: r.latency.p50, p99: r.latency.p99, total, non2xx: r.non2xx, errors: r.errors };
  });
}

let wrkPresent: boolean | undefined;

/** Whether Debian's wrk is installed (`apt-get install -y wrk`). */
export function wrkAvailable(): boolean {
  if (wrkPresent === undefined) {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' });
      wrkPresent = true;
    } catch (e) {
      // wrk --version prints its version and exits 1; only a missing binary is ENOENT.
      wrkPresent = (e as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  }
  return wrkPresent;
}

/** wrk's latency figures ("1.23ms", "850.00us", "1.20s") in ms. */
function wrkMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

export async function wrkLoad(url: string, o: { threads: number; connections: number; durationS: number }, pid?: number): Promise<LoadResult> {
  return withCpu(pid, async () => {
    const { stdout } = await promisify(execFile)('wrk', [`-t${o.threads}`, `-c${o.connections}`, `-d${o.durationS}s`, '--latency', url]);
    const total = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
    const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
      p50: wrkMs(/\n\s+50%\s+(\S+)/.exec(stdout)?.[1]),
      p99: wrkMs(/\n\s+99%\s+(\S+)/.exec(stdout)?.[1]),
      total,
      non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0),
      errors: errors ? errors.slice(1).reduce((n, v) => n + Number(v), 0) : 0,
    };
  });
}
