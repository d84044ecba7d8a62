import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['emulator/**/*.test.ts', 'contracts/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One folder per run for the packed package, which test/packed.ts makes once when first asked.
    globalSetup: ['./test/packed.global-setup.ts'],
    // Real processes and real ports: keep the machine's two cores for the servers under test.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    reporters: process.env.CI || process.env.APOXY_TEST_SUMMARY ? ['default', './test/summary-reporter.ts'] : ['default'],
  },
});
