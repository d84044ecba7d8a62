/** `apoxy-contracts run`: the scenarios against one server; the report says what failed. */
import { cleanupText, coverageText, failureDetails, summaryLine, writeJson, writeJunit } from '../runner/report.js';
import type { RunReport } from '../runner/run.js';
import { runAgainst, type Session } from './session.js';

/** The report's closing part, shared by run, record and verify (`more` goes into --json too). */
export function closing(s: Session, report: RunReport, extra = '', more: Record<string, unknown> = {}): void {
  const details = failureDetails(report);
  if (details) s.io.stdout(details + '\n');
  s.io.stdout('\n' + coverageText(report) + '\n' + cleanupText(report) + '\n' + summaryLine(report) + extra + ` in ${Math.round(report.durationMs)} ms\n`);
  if (s.values.junit) writeJunit(report, s.values.junit);
  if (s.values.json) writeJson({ ...report, ...more } as RunReport, s.values.json);
}

/** 130 when interrupted; 1 when a check failed or something was left behind; else 0. */
export function exitCode(report: RunReport, differences = 0): number {
  if (report.aborted) return 130;
  return report.counts.failed || report.cleanup.remaining.length || differences ? 1 : 0;
}

export async function runCommand(s: Session): Promise<number> {
  const { report } = await runAgainst(s, s.values.target, { echo: true });
  closing(s, report);
  return exitCode(report);
}
