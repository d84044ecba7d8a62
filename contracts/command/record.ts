/**
 * `apoxy-contracts record`: the scenarios against one server, judged as `run` judges them, and
 * every request and normalized response written to --out (recording/recording.ts).
 */
import { checkRecordingDir, recordRun, writeRecording } from '../recording/recording.js';
import { Usage } from './options.js';
import { closing, exitCode } from './run.js';
import { runAgainst, type Session } from './session.js';

export async function recordCommand(s: Session): Promise<number> {
  const out = s.values.out;
  if (!out) throw new Usage('record needs --out <dir>');
  try {
    checkRecordingDir(out);
  } catch (e) {
    throw new Usage((e as Error).message);
  }
  const { report, host, version, secrets } = await runAgainst(s, s.values.target, { echo: true, askVersion: true });
  if (report.aborted) return 130;
  writeRecording(out, recordRun(report, { host, version, secrets }));
  closing(s, report, `; recorded ${report.results.length} scenario(s) into ${out}`);
  return exitCode(report);
}
