/**
 * The closing line CI reads must count a file that fails outside its tests: an afterAll or a
 * beforeAll that throws, an error no test owns. A child vitest runs tiny files with the reporter,
 * both ways it reports (the summary file npm test reads, the line a CI=true vitest prints).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVitest, vitestDir } from './child-vitest.js';
import { ROOT } from './cli-process.js';

const FILES: Record<string, string> = {
  'ok.test.ts': `import { it } from 'vitest';\nit('passes', () => {});\n`,
  'after-all.test.ts': `import { afterAll, it } from 'vitest';\nit('passes', () => {});\nafterAll(() => { throw new Error('clean-up failed'); });\n`,
  'before-all.test.ts': `import { beforeAll, it } from 'vitest';\nbeforeAll(() => { throw new Error('set-up failed'); });\nit('never runs', () => {});\n`,
  'late.test.ts': `import { it } from 'vitest';\nit('passes, leaving a rejection behind', async () => {\n  setTimeout(() => void Promise.reject(new Error('late')), 10);\n  await new Promise((r) => setTimeout(r, 100));\n});\n`,
};

const REPORTER = ['--reporter', join(ROOT, 'test/summary-reporter.ts')];

describe('the summary reporter', () => {
  const { dir, cleanup } = vitestDir('apoxy-summary-');
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  afterAll(cleanup);

  it('counts a file that failed in afterAll or beforeAll, and an unowned error, as failures (the summary file of npm test)', async () => {
    const file = join(dir, 'summary.json');
    const r = await runVitest(dir, REPORTER, { APOXY_TEST_SUMMARY: file });
    expect(r.code).toBe(1);
    // ok, after-all's test and late's test passed; before-all's test never ran.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ passed: 3, failed: 3, skipped: 1 });
  });

  it('prints the same closing line on its own under CI', async () => {
    const r = await runVitest(dir, REPORTER, { CI: 'true' });
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('3 passed, 3 failed, 1 skipped');
  });
});
