/** negative_data_rejection: a step that sends invalid input on purpose was answered 2xx. */
import type { Check } from './types.js';

const NAME = 'negative_data_rejection';

export const negativeDataRejection: Check = {
  name: NAME,
  description: 'invalid input (a step marked negative) answered with 2xx',
  source: 'contract',
  check(seen) {
    if (seen.on !== 'response' || !seen.negative || seen.exchange.status >= 300) return [];
    return [{ check: NAME, message: `invalid input was accepted with ${seen.exchange.status}` }];
  },
};
