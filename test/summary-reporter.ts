/**
 * Counts vitest's tests. Under npm test (scripts/test-all.ts, which sets $APOXY_TEST_SUMMARY) the
 * counts go to that file, to be added to the Go and Python suites' in one closing line; run alone
 * with CI=true, it prints the closing line CI reads: "N passed, N failed" (", N skipped" when any).
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed outside its tests (an import, a beforeAll, an afterAll) is a failure
      // even when every test in it passed or never ran.
      if (m.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    // Errors no file owns (an unhandled rejection after its test ended) fail the run too.
    failed += unhandledErrors.length;
    const summaryFile = process.env.APOXY_TEST_SUMMARY;
    if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped }));
    else process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
