/**
 * `apoxy-contracts verify`: the scenarios a recording holds, run against a server (judged as
 * `run` judges them) and every response compared with the recording, normalized the same way.
 * The profile is the recording's.
 */
import { compareScenario, differencesText, type Difference } from '../recording/compare.js';
import { readRecording, recordScenario } from '../recording/recording.js';
import { scenarioLine } from '../runner/report.js';
import type { Profile } from '../runner/types.js';
import { listOption, Usage } from './options.js';
import { closing, exitCode } from './run.js';
import { runAgainst, type Session } from './session.js';

export async function verifyCommand(s: Session): Promise<number> {
  const dir = s.values.golden;
  if (!dir) throw new Usage('verify needs --golden <dir> (a folder written by apoxy-contracts record)');
  let golden;
  try {
    golden = readRecording(dir);
  } catch (e) {
    throw new Usage((e as Error).message);
  }
  const recordedProfile = golden.manifest.profile as Profile;
  if (s.values.profile && s.values.profile !== recordedProfile) throw new Usage(`${dir} was recorded under profile ${recordedProfile}; verify holds a server to the recording's profile (leave out --profile)`);
  const session: Session = { ...s, profile: recordedProfile };
  const recorded = new Set(golden.manifest.scenarios.map((x) => x.id));
  const scenarios = s.picked.filter((x) => recorded.has(x.id));
  // Recorded scenarios the suite no longer has are differences (unless --only narrows the run).
  const gone = listOption(s.values.only).length ? [] : [...recorded].filter((id) => !s.all.some((x) => x.id === id));
  const unrecorded = s.picked.filter((x) => !recorded.has(x.id)).map((x) => x.id);
  const diffs: Difference[] = [];
  for (const id of gone) diffs.push(...compareScenario(id, golden.scenarios.get(id), undefined, recordedProfile, s.divergences));
  s.io.stdout(`apoxy-contracts: verifying against the recording in ${dir} (profile ${recordedProfile}, recorded ${golden.manifest.recordedAt} from ${golden.manifest.target.host})\n`);
  const { report } = await runAgainst(session, s.values.target, {
    scenarios,
    echo: (r) => {
      const open = diffs.filter((d) => d.scenario === r.id && !d.known).length;
      return open ? `${'FAIL'.padEnd(5)} ${r.id} (${Math.round(r.durationMs)} ms) — ${open} difference(s) from the recording` : scenarioLine(r);
    },
    onScenario: (r, run) => diffs.push(...compareScenario(r.id, golden.scenarios.get(r.id), recordScenario(r, run, run.secrets), recordedProfile, s.divergences)),
  });
  if (report.aborted) return 130;
  if (unrecorded.length) s.io.stdout(`Not in the recording (not verified; record again to include them): ${unrecorded.join(', ')}\n`);
  if (diffs.length) s.io.stdout(`\nDifferences from the recording (recorded = ${dir}, target = ${report.target}):\n${differencesText(diffs, ['recorded', 'target'])}\n`);
  const open = diffs.filter((d) => !d.known).length;
  closing(session, report, `; ${open} difference(s) from the recording${diffs.length - open ? `, ${diffs.length - open} known` : ''}`, { differences: diffs });
  return exitCode(report, open);
}
