/**
 * Two recordings of the same scenarios compared, exchange by exchange and JSON path by JSON
 * path: `verify` (a recording against a target's answers now) and `diff` (two targets) both
 * report this way. Exchanges are paired by step name and occurrence (a step that sends twice,
 * or a name used twice, is `step #2`), so one missing exchange does not shift the rest.
 * Compared: the request (method, path, query, body: a difference there means the scenario, or an
 * answer it used, changed), the status, the headers that matter and the body.
 */
import { covers, type Divergence } from '../runner/divergences.js';
import { jsonDifferences } from '../runner/json-diff.js';
import type { Profile } from '../runner/types.js';
import type { RecordedExchange, ScenarioRecording } from './recording.js';

export interface Difference {
  scenario: string;
  step: string;
  /** `status`, `headers["content-type"]`, `body.spec.protocol`, `request.query.limit`, `(exchange)`, `(scenario)`. */
  path: string;
  a: unknown;
  b: unknown;
  /** Set when a known-divergences entry covers it. */
  known?: string;
}

function keyed(exchanges: RecordedExchange[]): Map<string, { step: string; ex: RecordedExchange }> {
  const count = new Map<string, number>();
  const out = new Map<string, { step: string; ex: RecordedExchange }>();
  for (const ex of exchanges) {
    const n = (count.get(ex.step) ?? 0) + 1;
    count.set(ex.step, n);
    const label = n === 1 ? ex.step : `${ex.step} #${n}`;
    out.set(label, { step: ex.step, ex });
  }
  return out;
}

function comparable(ex: RecordedExchange) {
  return { request: ex.request, status: ex.response.status, headers: ex.response.headers, body: ex.response.body };
}

function summary(ex: RecordedExchange | undefined): string | undefined {
  return ex && `${ex.request.method} ${ex.request.path} → ${ex.response.status}`;
}

/** The differences between two recordings of one scenario (either may be missing). */
export function compareScenario(id: string, a: ScenarioRecording | undefined, b: ScenarioRecording | undefined, profile: Profile, divergences: Divergence[]): Difference[] {
  const out: Array<Omit<Difference, 'known'> & { plainStep: string }> = [];
  const state = (s: ScenarioRecording | undefined) => (!s ? 'not recorded' : s.skipped ? `skipped: ${s.skipped}` : `ran (${s.exchanges.length} exchanges)`);
  if (!a || !b || !!a.skipped !== !!b.skipped) {
    out.push({ scenario: id, step: '-', plainStep: '-', path: '(scenario)', a: state(a), b: state(b) });
  } else {
    const ka = keyed(a.exchanges);
    const kb = keyed(b.exchanges);
    for (const label of new Set([...ka.keys(), ...kb.keys()])) {
      const ea = ka.get(label);
      const eb = kb.get(label);
      const plainStep = (ea ?? eb)!.step;
      if (!ea || !eb) {
        out.push({ scenario: id, step: label, plainStep, path: '(exchange)', a: summary(ea?.ex), b: summary(eb?.ex) });
        continue;
      }
      for (const d of jsonDifferences(comparable(ea.ex), comparable(eb.ex))) out.push({ scenario: id, step: label, plainStep, path: d.path, a: d.a, b: d.b });
    }
  }
  return out.map(({ plainStep, ...d }) => {
    // A divergence's path is a path of the body, as in a check failure.
    const bodyPath = d.path.startsWith('body.') ? d.path.slice(5) : d.path === 'body' ? undefined : d.path;
    const entry = divergences.find((x) => covers({ ...x, check: undefined }, id, profile, { step: plainStep, path: bodyPath }));
    return entry ? { ...d, known: `${entry.observed} (${entry.reason})` } : d;
  });
}

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const s = JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The differences as a user reads them; `labels` name the two sides (a/b, recorded/target). */
export function differencesText(diffs: Difference[], labels: [string, string]): string {
  const width = Math.max(labels[0].length, labels[1].length) + 1;
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(`${d.known ? 'known ' : ''}${d.scenario} / ${d.step} / ${d.path}`);
    lines.push(`    ${`${labels[0]}:`.padEnd(width)} ${show(d.a)}`);
    lines.push(`    ${`${labels[1]}:`.padEnd(width)} ${show(d.b)}`);
    if (d.known) lines.push(`    known: ${d.known}`);
  }
  const open = diffs.filter((d) => !d.known).length;
  lines.push(`${open} difference(s), ${diffs.length - open} known`);
  return lines.join('\n');
}
