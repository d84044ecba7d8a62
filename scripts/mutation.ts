/**
 * npm run mutation: StrykerJS (stryker.config.json) mutates the contract checks and Backend's
 * validation one change at a time and runs their tests (vitest.mutation.config.ts) against each;
 * a mutant no test notices is a test missing. Prints the mutation score of each area, as recorded
 * in docs/security.md. Slow (minutes), so not part of npm test. Extra arguments go to stryker run
 * (e.g. `npm run mutation -- --mutate contracts/checks/expected-reason.ts`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORT = join(ROOT, 'reports/mutation/mutation.json');
const AREAS: Array<[string, RegExp]> = [
  ['contract checks (contracts/checks, contracts/runner/matchers.ts)', /^contracts\//],
  ["Backend's validation (validate.ts, dns.ts, go-ip.ts)", /^emulator\//],
];

interface Report {
  files: Record<string, { mutants: Array<{ status: string }> }>;
}

const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as Report;
/** Stryker's mutation score: detected (killed, timed out) over valid mutants (detected, survived, not covered). */
function score(files: string[]): { detected: number; valid: number; survived: number; noCoverage: number } {
  const s = { detected: 0, valid: 0, survived: 0, noCoverage: 0 };
  for (const f of files) {
    for (const m of report.files[f].mutants) {
      if (m.status === 'Killed' || m.status === 'Timeout') s.detected++;
      else if (m.status === 'Survived') s.survived++;
      else if (m.status === 'NoCoverage') s.noCoverage++;
      else continue; // ignored, compile and runtime errors are not valid mutants
      s.valid++;
    }
  }
  return s;
}

process.stdout.write('\nMutation score\n');
for (const [name, re] of AREAS) {
  const s = score(Object.keys(report.files).filter((f) => re.test(f)));
  const pct = s.valid ? ((100 * s.detected) / s.valid).toFixed(1) : '-';
  process.stdout.write(`  ${name}: ${pct}% (${s.detected} of ${s.valid} mutants detected; ${s.survived} survived, ${s.noCoverage} not covered)\n`);
}
