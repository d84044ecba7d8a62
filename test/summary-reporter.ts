/**
 * Counts vitest's tests. Under npm test (scripts/test-all.ts, which sets $APOXY_TEST_SUMMARY) the
 * counts go to that file, to be added to the Go and Python suites' in one closing line; run alone
 * with CI=true, it prints the closing line CI reads: "N passed, N failed" (", N skipped" when any).
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && ![...m.children.allTests()].length) failed++;
    }
    const summaryFile = process.env.APOXY_TEST_SUMMARY;
    if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped }));
    else process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
