/** expected_message: the Status message is not (or does not contain) what the step expects. */
import type { Check, CheckFailure } from './types.js';

const NAME = 'expected_message';

export const expectedMessage: Check = {
  name: NAME,
  description: "the Status message is not the step's expect.message, or lacks its expect.messageContains",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'response') return [];
    const e = seen.expect;
    const got = (seen.exchange.body as Record<string, unknown> | undefined)?.message;
    const out: CheckFailure[] = [];
    if (e.message !== undefined && got !== e.message) out.push({ check: NAME, path: 'message', message: `expected message ${JSON.stringify(e.message)}, got ${JSON.stringify(got)}` });
    if (e.messageContains !== undefined && !(typeof got === 'string' && got.includes(e.messageContains))) {
      out.push({ check: NAME, path: 'message', message: `expected message containing ${JSON.stringify(e.messageContains)}, got ${JSON.stringify(got)}` });
    }
    return out;
  },
};
