/**
 * `apoxy-contracts diff`: the scenarios against two servers, both recorded (normalized as
 * `record` normalizes) and compared as `verify` compares. It judges neither: `run` does.
 */
import { compareScenario, differencesText } from '../recording/compare.js';
import { recordScenario } from '../recording/recording.js';
import { writeJson } from '../runner/report.js';
import type { RunReport } from '../runner/run.js';
import { Usage } from './options.js';
import { runAgainst, type Session } from './session.js';

export async function diffCommand(s: Session): Promise<number> {
  if (!s.values.a || !s.values.b) throw new Usage('diff needs --a <url> and --b <url>');
  const a = await runAgainst(s, s.values.a, { checks: [] });
  if (s.signal.aborted) return 130;
  const b = await runAgainst(s, s.values.b, { checks: [] });
  if (s.signal.aborted) return 130;
  const side = (r: RunReport, id: string) => {
    const result = r.results.find((x) => x.id === id);
    return result && recordScenario(result, r, [...a.secrets, ...b.secrets]);
  };
  const diffs = s.picked.flatMap((sc) => compareScenario(sc.id, side(a.report, sc.id), side(b.report, sc.id), s.profile, s.divergences));
  s.io.stdout(diffs.length ? `Differences (a = ${s.values.a}, b = ${s.values.b}):\n${differencesText(diffs, ['a', 'b'])}\n` : `No differences between ${s.values.a} and ${s.values.b}.\n`);
  if (s.values.json) writeJson({ ...a.report, differences: diffs } as unknown as RunReport, s.values.json);
  return diffs.some((d) => !d.known) ? 1 : 0;
}
