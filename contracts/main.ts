/**
 * apoxy-contracts: runs the contract scenarios against a server (or two, for diff).
 * main() is the whole command, with its output sinks passed in so tests can run it in-process;
 * cli.ts is the executable wrapper.
 * Exit codes: 0 all passed, 1 a scenario failed (or diff found differences), 2 bad usage,
 * 130 interrupted (after cleaning up).
 */
import { parseArgs } from 'node:util';
import { readContractDocument } from './openapi/document.js';
import { connect, fromKubeconfig, parseHeader, type TargetOptions } from './runner/client.js';
import { diffReports, diffText } from './runner/diff.js';
import { loadDivergences, type Divergence } from './runner/divergences.js';
import { cleanupText, coverageText, failureDetails, scenarioLine, summaryLine, writeJson, writeJunit } from './runner/report.js';
import { runScenarios, type RunReport } from './runner/run.js';
import { guard, BASE, newRunId, selectorFor, UnsafeRequest } from './runner/safety.js';
import { defaultScenarioDir, loadScenarios, selectScenarios } from './runner/scenarios.js';
import { substitute } from './runner/template.js';
import type { Profile, Scenario, Step } from './runner/types.js';

const HELP = `apoxy-contracts run --target <base URL> [options]
apoxy-contracts diff --a <base URL> --b <base URL> [options]
apoxy-contracts --list [--only ...]

Runs the Backend contract scenarios (contracts/scenarios/*.yaml) against a server.
Every object a run creates is named <run id>-… and labelled contracts.apoxy.dev/run=<run id>;
lists and Delete All carry that label selector; everything is deleted at the end (also on Ctrl-C).

  --target <url>              Server base URL, e.g. http://127.0.0.1:8080 or https://localhost:8443
  --header 'Name: value'      Extra request header (repeatable), e.g. 'X-Apoxy-API-Key: …'
  --token <bearer>            Authorization: Bearer <token>
  --insecure                  Accept a self-signed TLS certificate
  --expect-auth               The target requires credentials: also run the scenarios that send
                              requests without them and expect 401 (skipped otherwise)
  --kubeconfig <file>         Server, token, client certificate and CA from a kubeconfig
  --context <name>            kubeconfig context (default: current-context)
  --profile apoxy|documented  Expectations to hold the server to (default apoxy)
  --only <id or tag>          Only these scenarios (repeatable or comma-separated)
  --scenarios <dir>           Read scenarios from this folder instead of the built-in ones
  --known-divergences <file>  Report the failures listed there as known
  --junit <file>              Write a JUnit XML report
  --json <file>               Write the full report (every request and response) as JSON
  --timeout <ms>              Per-request timeout (default 5000)
  --list                      Print the scenarios and every request they would send; send nothing
  --a <url>, --b <url>        diff: the two servers (headers/token/TLS options apply to both)
  -h, --help                  Show this help
`;

class Usage extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      header: { type: 'string', multiple: true },
      token: { type: 'string' },
      insecure: { type: 'boolean' },
      'expect-auth': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      profile: { type: 'string' },
      only: { type: 'string', multiple: true },
      scenarios: { type: 'string' },
      'known-divergences': { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
      timeout: { type: 'string' },
      list: { type: 'boolean' },
      a: { type: 'string' },
      b: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { values, command: positionals[0], extra: positionals.slice(1) };
}

function describeStep(step: Step, s: Scenario, n: number, indent: string): string[] {
  const runId = 'ct-RUNID';
  const scope = { runId, scenario: `s${n}` };
  const vars = { run: runId, prefix: `${runId}-s${n}`, base: BASE, label: selectorFor(scope), captures: new Proxy({}, { has: () => true, get: (_, k) => `<${String(k)}>` }) };
  const only = step.profiles ? ` [profile ${step.profiles.join(',')}]` : '';
  if (step.watch) {
    const q = Object.fromEntries(Object.entries(substitute({ ...(step.watch.query ?? {}), watch: '1' }, vars)).map(([k, v]) => [k, String(v)]));
    const path = substitute(step.watch.path ?? BASE, vars);
    const g = guard('GET', path, q, undefined, undefined, scope);
    const out = [`${indent}${step.name}: WATCH GET ${path}?${new URLSearchParams(g.query)}${only}; expect ${step.watch.events.map((e) => e.type).join(', ')}`];
    for (const t of step.watch.then ?? []) out.push(...describeStep(t, s, n, indent + '  '));
    return out;
  }
  const r = substitute(step.request!, vars);
  const q = Object.fromEntries(Object.entries(r.query ?? {}).map(([k, v]) => [k, String(v)]));
  let g: { query: Record<string, string>; body: unknown };
  try {
    g = guard(r.method, r.path, q, r.contentType ?? (r.body !== undefined ? 'application/json' : undefined), r.body, scope);
  } catch (e) {
    // A name captured at run time (e.g. from generateName) is checked when it is known.
    if (!(e instanceof UnsafeRequest) || !r.path.includes('<')) throw e;
    g = { query: q, body: r.body };
  }
  const qs = new URLSearchParams(g.query).toString();
  const text = g.body === undefined ? undefined : typeof g.body === 'string' ? g.body : JSON.stringify(g.body);
  const body = text === undefined ? '' : `\n${indent}    ${text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters in all)` : text}`;
  const anonymous = r.anonymous ? ' [without credentials]' : '';
  return [`${indent}${step.name}: ${r.method} ${r.path}${qs ? `?${qs}` : ''}${r.contentType ? ` (${r.contentType})` : ''}${anonymous}${only}${body}`];
}

function list(all: Scenario[], picked: Scenario[]): string {
  const out: string[] = [];
  for (const s of picked) {
    const n = all.indexOf(s);
    const notes = [s.profiles ? `profile ${s.profiles.join(',')}` : '', s.requires?.length ? `requires ${s.requires.join(',')}` : '', s.skip ? `skipped: ${s.skip}` : ''].filter(Boolean).join('; ');
    out.push(`${s.id} [${s.tags.join(', ')}] ${s.title}${notes ? ` (${notes})` : ''}`);
    for (const st of s.steps) out.push(...describeStep(st, s, n, '  '));
  }
  out.push(`${picked.length} scenario(s); requests shown for run id ct-RUNID`);
  return out.join('\n');
}

function targetOptions(values: ReturnType<typeof parse>['values'], url: string | undefined): TargetOptions {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const [k, v] = parseHeader(h);
    headers[k] = v;
  }
  let o: TargetOptions = { target: url ?? '', headers, insecure: values.insecure };
  if (values.kubeconfig) {
    const k = fromKubeconfig(values.kubeconfig, values.context);
    if (k.token) headers.Authorization = `Bearer ${k.token}`;
    o = { ...o, ...k, target: url ?? k.target, insecure: values.insecure || k.insecure, headers };
  }
  if (values.token) headers.Authorization = `Bearer ${values.token}`;
  if (!o.target) throw new Usage('--target (or --kubeconfig) is required');
  try {
    new URL(o.target);
  } catch {
    throw new Usage(`not a URL: ${o.target}`);
  }
  return o;
}

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Install SIGINT/SIGTERM handlers that abort the run and clean up (the executable does). */
  handleSignals?: boolean;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), handleSignals: true };

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr(`apoxy-contracts: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, command } = parsed;
  if (values.help || (!command && !values.list)) {
    io.stdout(HELP);
    return values.help ? 0 : 2;
  }
  try {
    const profile = (values.profile ?? 'apoxy') as Profile;
    if (profile !== 'apoxy' && profile !== 'documented') throw new Usage(`--profile must be apoxy or documented, got ${profile}`);
    const all = loadScenarios([values.scenarios ?? defaultScenarioDir()]);
    const picked = selectScenarios(all, (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean));
    if (values.list) {
      io.stdout(list(all, picked) + '\n');
      return 0;
    }
    if (command !== 'run' && command !== 'diff') throw new Usage(`unknown command ${command}`);
    const divergences: Divergence[] = values['known-divergences'] ? loadDivergences(values['known-divergences']).divergences : [];
    const timeout = values.timeout ? Number(values.timeout) : 5000;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new Usage('--timeout must be a positive number of milliseconds');
    const doc = readContractDocument();
    const numbering = new Map(all.map((s, i) => [s.id, i]));
    const abort = new AbortController();
    let interrupts = 0;
    const onSignal = () => {
      if (++interrupts > 1) process.exit(130);
      io.stderr('\nInterrupted: deleting what this run created (Ctrl-C again to quit at once)…\n');
      abort.abort();
    };
    if (io.handleSignals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    const runOne = async (url: string | undefined, echo: boolean): Promise<RunReport> => {
      const target = connect(targetOptions(values, url));
      const runId = newRunId();
      if (echo) io.stdout(`apoxy-contracts: run ${runId} against ${target.base} (profile ${profile}), ${picked.length} scenario(s)\n`);
      try {
        return await runScenarios({
          target, doc, profile, scenarios: picked, numbering, runId, divergences, requestTimeoutMs: timeout, expectAuth: !!values['expect-auth'], signal: abort.signal,
          onScenario: (r) => echo && io.stdout(scenarioLine(r) + '\n'),
        });
      } finally {
        await target.close();
      }
    };
    if (command === 'diff') {
      if (!values.a || !values.b) throw new Usage('diff needs --a <url> and --b <url>');
      const a = await runOne(values.a, false);
      const b = abort.signal.aborted ? a : await runOne(values.b, false);
      if (abort.signal.aborted) return 130;
      const diffs = diffReports(a, b, profile, divergences);
      io.stdout(diffText(diffs, values.a, values.b) + '\n');
      if (values.json) writeJson({ ...a, diff: diffs } as unknown as RunReport, values.json);
      return diffs.some((d) => !d.known) ? 1 : 0;
    }
    const report = await runOne(values.target, true);
    const details = failureDetails(report);
    if (details) io.stdout(details + '\n');
    io.stdout('\n' + coverageText(report) + '\n' + cleanupText(report) + '\n' + summaryLine(report) + ` in ${Math.round(report.durationMs)} ms\n`);
    if (values.junit) writeJunit(report, values.junit);
    if (values.json) writeJson(report, values.json);
    if (report.aborted) return 130;
    return report.counts.failed || report.cleanup.remaining.length ? 1 : 0;
  } catch (e) {
    io.stderr(`apoxy-contracts: ${(e as Error).message}\n`);
    return e instanceof Usage ? 2 : 1;
  }
}

