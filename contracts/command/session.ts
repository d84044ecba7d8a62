/**
 * What every command of apoxy-contracts works with once its options are read (the scenarios,
 * the profile, the checks, known divergences, the abort signal), and running the scenarios
 * against one target with it.
 */
import type { Check } from '../checks/types.js';
import type { ContractDocument } from '../openapi/document.js';
import { connect, credentialValues, targetVersion } from '../runner/client.js';
import type { Divergence } from '../runner/divergences.js';
import { scenarioLine } from '../runner/report.js';
import { runScenarios, type RunReport } from '../runner/run.js';
import { newRunId } from '../runner/safety.js';
import type { Profile, Scenario, ScenarioResult } from '../runner/types.js';
import { targetOptions, type Values } from './options.js';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Install SIGINT/SIGTERM handlers that abort the run and clean up (the executable does). */
  handleSignals?: boolean;
}

export interface Session {
  values: Values;
  io: Io;
  profile: Profile;
  /** Every scenario of the suite (their positions name the objects), and those --only picked. */
  all: Scenario[];
  picked: Scenario[];
  checks: Check[];
  divergences: Divergence[];
  timeoutMs: number;
  doc: ContractDocument;
  signal: AbortSignal;
}

export interface Against {
  report: RunReport;
  /** The target's host: what a recording may say about where it came from. */
  host: string;
  /** What GET /version answered (asked only when `askVersion`). */
  version?: unknown;
  /** Credential values sent to the target, to keep out of anything written. */
  secrets: string[];
}

/** What names a run's objects and dates its answers, and its credentials: what a recording normalizes away. */
export interface RunIdentity {
  runId: string;
  numbering: Record<string, number>;
  startedAt: string;
  finishedAt: string;
  /** Credential values sent to the target: never written or printed. */
  secrets: string[];
}

export interface AgainstOptions {
  scenarios?: Scenario[];
  checks?: readonly Check[];
  /** Print the run's first line and one line per scenario (the default line, or this one). */
  echo?: boolean | ((r: ScenarioResult) => string);
  askVersion?: boolean;
  /** Called as each scenario ends (verify compares it with the recording there). */
  onScenario?: (r: ScenarioResult, run: RunIdentity) => void;
}

/** Runs the picked scenarios (or `o.scenarios`) against `url` (or --target). */
export async function runAgainst(s: Session, url: string | undefined, o: AgainstOptions = {}): Promise<Against> {
  const options = targetOptions(s.values, url);
  const target = connect(options);
  const secrets = credentialValues(options.headers);
  const runId = newRunId();
  const scenarios = o.scenarios ?? s.picked;
  const startedAt = new Date().toISOString();
  const numbering = new Map(s.all.map((x, i) => [x.id, i]));
  if (o.echo) s.io.stdout(`apoxy-contracts: run ${runId} against ${target.base} (profile ${s.profile}), ${scenarios.length} scenario(s)\n`);
  try {
    const version = o.askVersion ? await targetVersion(target, s.timeoutMs, s.signal) : undefined;
    const report = await runScenarios({
      target, doc: s.doc, profile: s.profile, scenarios, numbering, runId,
      divergences: s.divergences, checks: o.checks ?? s.checks, requestTimeoutMs: s.timeoutMs, expectAuth: !!s.values['expect-auth'], signal: s.signal,
      onScenario: (r) => {
        o.onScenario?.(r, { runId, numbering: Object.fromEntries(numbering), startedAt, finishedAt: new Date().toISOString(), secrets });
        if (o.echo) s.io.stdout((typeof o.echo === 'function' ? o.echo(r) : scenarioLine(r)) + '\n');
      },
    });
    return { report, host: new URL(target.base).host, version, secrets };
  } finally {
    await target.close();
  }
}
