/**
 * Runs scenarios against a target: probes the features scenarios require, then runs each
 * scenario's steps (request-step.ts, watch-step.ts), deletes what it created when it ends and
 * the whole run's objects at the end (also after a failure or an abort), and reports results,
 * counts and operation coverage.
 */
import { CHECK_REGISTRY, RUN_ERRORS } from '../checks/registry.js';
import { ResponseSchemas } from '../checks/response-schema.js';
import type { Check, CheckEnv } from '../checks/types.js';
import { OperationMatcher } from '../openapi/operations.js';
import { ResourceSet, versionOf } from '../openapi/resources.js';
import { cleanup, type CleanupReport } from './cleanup.js';
import { markKnown, type Divergence } from './divergences.js';
import { Aborted, DEFAULT_REQUEST_TIMEOUT_MS, type Created, type StepContext, type StepSettings } from './exchange.js';
import { declaredFeatures, probeFeatures, type Features } from './features.js';
import { runRequestStep } from './request-step.js';
import { selectorFor, UnsafeRequest, type Scope } from './safety.js';
import { checkResources } from './scenarios.js';
import type { Failure, Profile, Scenario, ScenarioResult, Step } from './types.js';
import { UidTracker } from './uids.js';
import { runWatchStep } from './watch-step.js';

export interface RunOptions extends StepSettings {
  scenarios: Scenario[];
  /** Position of each scenario in the full suite, for stable object names; defaults to the list order. */
  numbering?: Map<string, number>;
  runId: string;
  divergences?: Divergence[];
  /** The target requires credentials: run the scenarios that require `authentication` (401s). */
  expectAuth?: boolean;
  /** The checks to apply (checks/registry.ts selectChecks); default all. */
  checks?: readonly Check[];
  onScenario?: (r: ScenarioResult) => void;
}

export interface Coverage {
  operationId: string;
  method: string;
  path: string;
  exercised: number[];
  missing: number[];
}

export interface RunReport {
  runId: string;
  target: string;
  profile: Profile;
  /** The checks the run applied. */
  checks: string[];
  /** Each scenario's number in the suite: its objects are named `<run id>-s<n>-…`. */
  numbering: Record<string, number>;
  startedAt: string;
  finishedAt: string;
  features: Features;
  results: ScenarioResult[];
  counts: { passed: number; failed: number; skipped: number; known: number };
  coverage: Coverage[];
  cleanup: CleanupReport;
  aborted: boolean;
  durationMs: number;
}

/** One step, under the run's profile (a step limited to other profiles is left out). */
async function runStep(ctx: StepContext, step: Step): Promise<void> {
  if (step.profiles && !step.profiles.includes(ctx.o.profile)) return;
  if (step.request) await runRequestStep(ctx, step);
  else await runWatchStep(ctx, step, runStep);
}

async function runScenario(ctx: StepContext, s: Scenario) {
  for (const step of s.steps) await runStep(ctx, step);
}

function skipReason(s: Scenario, o: RunOptions, features: Features): string | undefined {
  if (s.skip) return s.skip;
  if (s.profiles && !s.profiles.includes(o.profile)) return `only under profile ${s.profiles.join(', ')}`;
  for (const r of s.requires ?? []) {
    const f = features[r];
    if (!f) return `requires ${r}, which this runner cannot probe`;
    if (!f.supported) return f.declared ? `requires ${r}: ${f.evidence}` : `target does not support ${r}: ${f.evidence}`;
  }
  return undefined;
}

export async function runScenarios(o: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const matcher = new OperationMatcher(o.doc);
  const schemas = ResponseSchemas.for(o.doc);
  schemas.prepare(o.profile);
  const resources = ResourceSet.for(o.doc);
  checkResources(o.scenarios, resources);
  const resourceOf = (s: Scenario) => resources.get(s.resource);
  const env: CheckEnv = { doc: o.doc, schemas, profile: o.profile, resources };
  const checks = o.checks ?? CHECK_REGISTRY;
  const timeoutMs = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const exercised = new Map<string, Set<number>>();
  const results: ScenarioResult[] = [];
  const allCreated: Created = new Map();
  const numbering: Record<string, number> = {};
  let aborted = false;
  let features: Features = {};
  let cleanupReport: CleanupReport | undefined;
  let deletedByScenarios = 0;
  try {
    features = await probeFeatures(o.target, resourceOf, o.runId, o.scenarios, timeoutMs, o.signal, declaredFeatures(o));
    for (const [i, s] of o.scenarios.entries()) {
      if (o.signal?.aborted) {
        aborted = true;
        break;
      }
      const t0 = performance.now();
      const reason = skipReason(s, o, features);
      const base = { id: s.id, title: s.title, tags: s.tags, failures: [] as Failure[], exchanges: [] as ScenarioResult['exchanges'] };
      if (reason) {
        const r: ScenarioResult = { ...base, outcome: 'skipped', skipReason: reason, durationMs: 0 };
        results.push(r);
        o.onScenario?.(r);
        continue;
      }
      const n = o.numbering?.get(s.id) ?? i;
      numbering[s.id] = n;
      const scope: Scope = { runId: o.runId, scenario: `s${n}` };
      const resource = resourceOf(s);
      const ctx: StepContext = {
        o, matcher, env, checks, resource, scope, exercised,
        vars: { run: o.runId, prefix: `${o.runId}-s${n}`, resource, label: selectorFor(scope), captures: {} },
        failures: base.failures,
        exchanges: base.exchanges,
        uids: new UidTracker(),
        created: allCreated,
      };
      try {
        await runScenario(ctx, s);
      } catch (e) {
        if (!(e instanceof Aborted || o.signal?.aborted)) {
          ctx.failures.push({ check: e instanceof UnsafeRequest ? RUN_ERRORS.unsafeRequest : RUN_ERRORS.transport, step: '-', message: (e as Error).message });
        }
      }
      if (o.signal?.aborted) aborted = true;
      // Each scenario leaves nothing behind, so the next starts clean and an abort leaves little.
      const mine = [...(allCreated.get(resource.id) ?? [])].filter((n2) => n2.startsWith(ctx.vars.prefix + '-'));
      const c = await cleanup(o.target, versionOf(resource).collection, scope, mine, timeoutMs).catch(() => undefined);
      deletedByScenarios += c?.deleted ?? 0;
      markKnown(s.id, o.profile, ctx.failures, o.divergences ?? []);
      const open = ctx.failures.filter((f) => !f.known);
      // An interrupted scenario proves nothing either way.
      const outcome = aborted ? 'skipped' : open.length ? 'failed' : ctx.failures.length ? 'known' : 'passed';
      const r: ScenarioResult = { ...base, outcome, skipReason: aborted ? 'interrupted' : undefined, durationMs: performance.now() - t0 };
      results.push(r);
      o.onScenario?.(r);
      if (aborted) break;
    }
  } finally {
    // Whatever happened, the run's own objects go, in every resource its scenarios test.
    cleanupReport = { deleted: deletedByScenarios, remaining: [], errors: [] };
    for (const r of new Set(o.scenarios.map(resourceOf))) {
      const c = await cleanup(o.target, versionOf(r).collection, { runId: o.runId }, [...(allCreated.get(r.id) ?? [])], timeoutMs);
      cleanupReport.deleted += c.deleted;
      cleanupReport.remaining.push(...c.remaining);
      cleanupReport.errors.push(...c.errors);
    }
  }
  for (const s of o.scenarios.slice(results.length)) {
    results.push({ id: s.id, title: s.title, tags: s.tags, outcome: 'skipped', skipReason: 'interrupted', durationMs: 0, failures: [], exchanges: [] });
  }
  const counts = { passed: 0, failed: 0, skipped: 0, known: 0 };
  for (const r of results) counts[r.outcome]++;
  const coverage = o.doc.operations.map((op) => {
    const got = exercised.get(op.operationId) ?? new Set<number>();
    const declared = [...op.responses.keys()].sort();
    return { operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, exercised: declared.filter((c) => got.has(c)), missing: declared.filter((c) => !got.has(c)) };
  });
  return {
    runId: o.runId, target: o.target.base, profile: o.profile, checks: checks.map((c) => c.name), numbering, startedAt, finishedAt: new Date().toISOString(),
    features, results, counts, coverage, cleanup: cleanupReport!, aborted, durationMs: performance.now() - started,
  };
}
