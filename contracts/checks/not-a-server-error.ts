/** not_a_server_error: a 5xx the step did not expect. */
import type { Check } from './types.js';

const NAME = 'not_a_server_error';

export const notAServerError: Check = {
  name: NAME,
  description: 'a 5xx the step did not expect',
  source: 'contract',
  check(seen) {
    if (seen.on !== 'response' || seen.exchange.status < 500) return [];
    if ([seen.expect.status].flat().includes(seen.exchange.status)) return []; // expected, or none expected ([undefined])
    return [{ check: NAME, message: `server error ${seen.exchange.status}` }];
  },
};
