/** expected_status: the status code is not one the step expects (`expect.status`). */
import type { Check } from './types.js';

const NAME = 'expected_status';

export const expectedStatus: Check = {
  name: NAME,
  description: "the status code is not the step's expect.status",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'response' || seen.expect.status === undefined) return [];
    const want = [seen.expect.status].flat();
    if (want.includes(seen.exchange.status)) return [];
    return [{ check: NAME, message: `expected status ${want.join(' or ')}, got ${seen.exchange.status}` }];
  },
};
