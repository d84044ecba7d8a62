/** Helpers for scripts/bench.ts and its parts: processes, seeded data files, memory, the watch run, medians and figures. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { get as httpGet } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpuMicros } from './bench-load.js';
import { renderDataFile } from '../emulator/store/data-file.js';
import type { KubeObject } from '../emulator/resources/types.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BACKENDS = '/apis/core.apoxy.dev/v1alpha2/backends';
const CLI = fileURLToPath(new URL('../dist/emulator/cli.js', import.meta.url));

export interface Proc {
  child: ChildProcess;
  url: string;
  /** Process start to the first successful GET of the probe path. */
  startupMs: number;
  /** CPU time the process had used by then, all threads. */
  startupCpuMs: number;
  /** Lines it wrote to stderr so far. */
  stderr: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Path whose first 200 ends the start-up (default `/`). */
  probe?: string;
  /** Flags for node itself (--cpu-prof ...). */
  nodeArgs?: string[];
  /** Another executable instead of node (the single-file executable). */
  command?: string;
}

/** Starts `node <args>` (or, with `command`, another executable), waits for its "listening on <url>" line, then for `probe` to answer 200. */
export function startProcess(args: string[], o: StartOptions = {}): Promise<Proc> {
  const t0 = performance.now();
  const child = spawn(o.command ?? process.execPath, [...(o.nodeArgs ?? []), ...args], { cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    exited.then(() => reject(new Error(`${args.join(' ')} exited: ${stderr.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', async (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (!m) return;
      const url = m[1];
      for (;;) {
        const r = await fetch(url + (o.probe ?? '/')).catch(() => undefined);
        await r?.arrayBuffer();
        if (r?.ok) break;
      }
      const startupMs = performance.now() - t0;
      const startupCpuMs = cpuMicros(child.pid!) / 1000;
      resolve({
        child, url, startupMs, startupCpuMs, stderr,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
  });
}

/** `dataFile` undefined: --in-memory. `o.args`: more serve flags. */
export function startEmulator(dataFile: string | undefined, o: StartOptions & { args?: string[] } = {}): Promise<Proc> {
  const data = dataFile === undefined ? ['--in-memory'] : ['--data', dataFile];
  return startProcess([CLI, 'serve', '--port', '0', ...data, ...(o.args ?? [])], { probe: BACKENDS, ...o });
}

/** A Backend as the emulator stores it, made by the emulator itself. */
export async function makeTemplate(file: string): Promise<Record<string, any>> {
  const p = await startEmulator(file);
  try {
    const res = await fetch(`${p.url}${BACKENDS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'template', labels: { app: 'bench' } }, spec: { endpoints: [{ fqdn: 'template.example.com' }], protocol: 'h2' } }),
    });
    if (res.status !== 201) throw new Error(`template create: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, any>;
  } finally {
    await p.stop();
  }
}

/** Writes the data file a clean stop leaves with `n` Backends named <prefix>00000... */
export async function writeSnapshot(file: string, template: Record<string, any>, n: number, prefix: string): Promise<void> {
  const backends: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}${String(i).padStart(5, '0')}`;
    backends.push({
      ...template,
      metadata: { ...template.metadata, name, uid: randomUUID(), resourceVersion: String(i + 1) },
      spec: { ...template.spec, endpoints: [{ fqdn: `${name}.example.com` }] },
    });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, (await renderDataFile(n, [['backends', backends]])).join(''));
}

/** Resident set size of a process (Linux), MB. */
export function residentMemoryMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The middle value of a set of rounds (the upper middle for an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A figure as the report prints it: thousands separated, `digits` decimals. */
export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * `watchers` watch streams from the current resourceVersion, then `writes` creates (10 at a time).
 * Latency: from sending the create to a watcher reading its ADDED event.
 */
export async function watchBench(url: string, watchers: number, writes: number): Promise<{ delivered: number; expected: number; p50: number; p99: number }> {
  const list = (await (await fetch(`${url}${BACKENDS}`)).json()) as { metadata: { resourceVersion: string } };
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  const expected = watchers * writes;
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  const requests: ReturnType<typeof httpGet>[] = [];

  await Promise.all(
    Array.from({ length: watchers }, () => new Promise<void>((ready, fail) => {
      const req = httpGet(`${url}${BACKENDS}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (res) => {
        if (res.statusCode !== 200) return fail(new Error(`watch: ${res.statusCode}`));
        ready();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl;
          while ((nl = buf.indexOf('\n')) !== -1) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const e = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
            if (e.type !== 'ADDED') continue;
            const t = sentAt.get(e.object.metadata.name);
            if (t !== undefined) latencies.push(performance.now() - t);
            if (++delivered === expected) allDone();
          }
        });
      });
      req.on('error', fail);
      requests.push(req);
    })),
  );

  let next = 0;
  const writer = async () => {
    while (next < writes) {
      const name = `w-${next++}`;
      sentAt.set(name, performance.now());
      const r = await fetch(`${url}${BACKENDS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name }, spec: { endpoints: [{ fqdn: `${name}.example.com` }] } }),
      });
      await r.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 10 }, writer));
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  for (const r of requests) r.destroy();
  latencies.sort((a, b) => a - b);
  return { delivered, expected, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
