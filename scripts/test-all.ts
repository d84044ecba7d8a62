/**
 * npm test: the type check, the vitest suites, then the Go and Python harness suites (with the
 * Schemathesis runs), and one closing line that counts every test of every suite:
 * "N passed, N failed" (", N skipped" when any), which CI reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goSuite, pythonSuite, type SuiteResult } from './harness-suites.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUMMARY_ENV = 'APOXY_TEST_SUMMARY';

function npm(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  return spawnSync('npm', args, { cwd: ROOT, env, stdio: 'inherit' }).status ?? 1;
}

function vitestSuite(): SuiteResult {
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-vitest-'));
  const file = join(dir, 'summary.json');
  try {
    const code = npm(['exec', '--', 'vitest', 'run', ...process.argv.slice(2)], { ...process.env, [SUMMARY_ENV]: file });
    let counts = { passed: 0, failed: 0, skipped: 0 };
    try {
      counts = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // vitest stopped before its reporter wrote: counted as one failure below
    }
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return { name: 'vitest', ...counts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: SuiteResult[] = [];
if (npm(['run', '--silent', 'typecheck']) !== 0) results.push({ name: 'typecheck', passed: 0, failed: 1, skipped: 0 });
results.push(vitestSuite());
// The harnesses start the compiled CLI (bin/ runs dist/): build it from the sources under test.
if (npm(['run', '--silent', 'build']) !== 0) results.push({ name: 'build', passed: 0, failed: 1, skipped: 0 });
results.push(await goSuite(ROOT));
results.push(pythonSuite(ROOT));

const total = { passed: 0, failed: 0, skipped: 0 };
process.stdout.write('\n');
for (const r of results) {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped;
  const what = r.notRun ? `not run (${r.notRun})` : `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  process.stdout.write(`  ${r.name}: ${what}\n`);
}
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`);
process.exitCode = total.failed ? 1 : 0;
