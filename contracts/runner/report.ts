/**
 * What a user reads: one line per scenario while it runs; at the end each failure with the
 * request, the expectation and the response that broke it; the counts; and the operation
 * coverage. Also the --junit and --json files.
 */
import { writeFileSync } from 'node:fs';
import junitModule, { type Builder } from 'junit-report-builder';
import type { RunReport } from './run.js';
import type { Exchange, ScenarioResult } from './types.js';

// CommonJS default export seen through NodeNext interop.
const junit = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder;

const MARK: Record<ScenarioResult['outcome'], string> = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP', known: 'KNOWN' };

export function scenarioLine(r: ScenarioResult): string {
  const time = r.outcome === 'skipped' ? '' : ` (${Math.round(r.durationMs)} ms)`;
  const why = r.skipReason ? ` — ${r.skipReason}` : r.outcome === 'known' ? ` — ${r.failures.length} known divergence(s)` : '';
  return `${MARK[r.outcome].padEnd(5)} ${r.id}${time}${why}`;
}

function clip(s: string, n = 1500): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length - n} more characters)` : s;
}

export function formatExchange(ex: Exchange): string {
  const req = `    > ${ex.method} ${ex.url}${ex.requestBody ? `\n    > ${clip(ex.requestBody, 600)}` : ''}`;
  const body = typeof ex.body === 'string' ? ex.body : JSON.stringify(ex.body);
  return `${req}\n    < ${ex.status} ${ex.responseHeaders['content-type'] ?? ''}\n    < ${clip(body ?? '')}`;
}

export function failureDetails(report: RunReport): string {
  const out: string[] = [];
  for (const r of report.results) {
    const open = r.failures.filter((f) => !f.known);
    if (!open.length) continue;
    out.push(`\n✗ ${r.id}: ${r.title}`);
    for (const f of open) {
      out.push(`  [${f.check}] step "${f.step}": ${f.message}`);
      if (f.exchange) out.push(formatExchange(f.exchange));
    }
  }
  const known = report.results.flatMap((r) => r.failures.filter((f) => f.known).map((f) => `  ${r.id} step "${f.step}" [${f.check}] ${f.message}\n    known: ${f.known}`));
  if (known.length) out.push('\nKnown divergences observed:', ...known);
  return out.join('\n');
}

export function summaryLine(report: RunReport): string {
  const c = report.counts;
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${c.known ? `, ${c.known} known` : ''}`;
}

export function coverageText(report: RunReport): string {
  const lines = ['Operation coverage (status codes exercised / not exercised):'];
  for (const c of report.coverage) {
    lines.push(`  ${c.method.padEnd(6)} ${c.operationId.padEnd(46)} exercised ${c.exercised.join(',') || '-'}; not ${c.missing.join(',') || '-'}`);
  }
  return lines.join('\n');
}

export function cleanupText(report: RunReport): string {
  const c = report.cleanup;
  const left = c.remaining.length ? `; LEFT BEHIND: ${c.remaining.join(', ')}` : '';
  return `Run ${report.runId}: cleanup deleted ${c.deleted} object(s)${left}${c.errors.length ? `; errors: ${c.errors.join('; ')}` : ''}`;
}

export function writeJunit(report: RunReport, file: string) {
  const b = junit.newBuilder();
  const suite = b.testSuite().name(`apoxy-contracts ${report.profile} ${report.target}`);
  for (const r of report.results) {
    const tc = suite.testCase().className(`contracts.${r.tags[0] ?? 'scenario'}`).name(r.id).time(r.durationMs / 1000);
    if (r.outcome === 'skipped') tc.skipped();
    const open = r.failures.filter((f) => !f.known);
    if (r.outcome === 'failed') tc.failure(open.map((f) => `[${f.check}] ${f.step}: ${f.message}`).join('\n'), open[0]?.check);
    if (open.length) tc.standardOutput(open.map((f) => (f.exchange ? formatExchange(f.exchange) : '')).join('\n'));
  }
  writeFileSync(file, b.build());
}

export function writeJson(report: RunReport, file: string) {
  writeFileSync(file, JSON.stringify(report, null, 2));
}
