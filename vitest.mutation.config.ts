/**
 * The tests `npm run mutation` runs against each mutant (stryker.config.json): the unit tests of
 * the contract checks, their matchers and Backend's validation. Fast on purpose: the fault test
 * (test/contracts-faults.test.ts) and the HTTP tests judge the same code end to end, at a minute
 * per mutant. Not part of npm test.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'contracts/checks/checks.test.ts',
      'contracts/checks/response-schema.test.ts',
      'contracts/runner/matchers.test.ts',
      'emulator/resources/backend/validate.test.ts',
      'emulator/machinery/dns.test.ts',
      'emulator/machinery/go-ip.test.ts',
    ],
  },
});
