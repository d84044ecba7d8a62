/** expected_reason: the Status reason is not the step's `expect.reason`. */
import type { Check } from './types.js';

const NAME = 'expected_reason';

export const expectedReason: Check = {
  name: NAME,
  description: "the Status reason is not the step's expect.reason",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'response' || seen.expect.reason === undefined) return [];
    const got = (seen.exchange.body as Record<string, unknown> | undefined)?.reason;
    if (got === seen.expect.reason) return [];
    return [{ check: NAME, path: 'reason', message: `expected reason ${seen.expect.reason}, got ${JSON.stringify(got)}` }];
  },
};
