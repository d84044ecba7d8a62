/** expected_headers: a response header differs from the step's `expect.headers` (value or matcher). */
import { mismatch } from '../runner/matchers.js';
import type { Check, CheckFailure } from './types.js';

const NAME = 'expected_headers';

export const expectedHeaders: Check = {
  name: NAME,
  description: "a response header differs from the step's expect.headers",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'response') return [];
    const out: CheckFailure[] = [];
    for (const [h, want] of Object.entries(seen.expect.headers ?? {})) {
      const v = seen.exchange.responseHeaders[h.toLowerCase()];
      const m = mismatch({ found: v !== undefined, value: v }, want);
      if (m) out.push({ check: NAME, path: `header:${h}`, message: `header ${h}: ${m}` });
    }
    return out;
  },
};
