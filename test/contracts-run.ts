/** Running the contract suite in-process against a URL, for the contract tests. */
import { main } from '../contracts/main.js';
import { readContractDocument } from '../contracts/openapi/document.js';
import { connect } from '../contracts/runner/client.js';
import type { Divergence } from '../contracts/runner/divergences.js';
import { runScenarios, type RunReport } from '../contracts/runner/run.js';
import { newRunId } from '../contracts/runner/safety.js';
import { loadScenarios, selectScenarios } from '../contracts/runner/scenarios.js';
import type { Profile, Scenario } from '../contracts/runner/types.js';

const doc = readContractDocument();
export const ALL_SCENARIOS = loadScenarios();
const numbering = new Map(ALL_SCENARIOS.map((s, i) => [s.id, i]));

export async function runSuite(url: string, opts: { profile?: Profile; only?: string[]; scenarios?: Scenario[]; divergences?: Divergence[]; signal?: AbortSignal } = {}): Promise<RunReport> {
  const target = connect({ target: url, headers: {} });
  try {
    return await runScenarios({
      target, doc, profile: opts.profile ?? 'apoxy', runId: newRunId(), numbering,
      scenarios: opts.scenarios ?? selectScenarios(ALL_SCENARIOS, opts.only ?? []),
      divergences: opts.divergences, requestTimeoutMs: 5000, signal: opts.signal,
    });
  } finally {
    await target.close();
  }
}

/** Every check that failed (not known) in a report. */
export function failedChecks(r: RunReport): string[] {
  return [...new Set(r.results.flatMap((s) => s.failures.filter((f) => !f.known).map((f) => f.check)))];
}

/** A short account of failures, for assertion messages. */
export function explain(r: RunReport): string {
  return r.results.flatMap((s) => s.failures.filter((f) => !f.known).map((f) => `${s.id} / ${f.step} [${f.check}] ${f.message}`)).join('\n');
}

/** Every Backend on the server, read directly (not through the suite). */
export async function allBackends(url: string): Promise<Array<{ metadata: Record<string, any> }>> {
  const r = await fetch(`${url}/apis/core.apoxy.dev/v1alpha2/backends`);
  return ((await r.json()) as { items: Array<{ metadata: Record<string, any> }> }).items;
}

/** apoxy-contracts in this process (main() with its output captured). */
export async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
