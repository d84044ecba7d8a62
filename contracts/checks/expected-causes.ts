/** expected_causes: a Status cause the step lists (`expect.causes`, subset match on each key) is missing. */
import type { Check, CheckFailure } from './types.js';

const NAME = 'expected_causes';

export const expectedCauses: Check = {
  name: NAME,
  description: "a Status cause the step's expect.causes lists is missing",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'response' || !seen.expect.causes) return [];
    const body = seen.exchange.body as Record<string, Record<string, unknown>> | undefined;
    const causes = (body?.details?.causes ?? []) as Array<Record<string, unknown>>;
    const out: CheckFailure[] = [];
    for (const want of seen.expect.causes) {
      if (!causes.some((c) => Object.entries(want).every(([k, v]) => c[k] === v))) {
        out.push({ check: NAME, path: 'details.causes', message: `no cause ${JSON.stringify(want)} among ${JSON.stringify(causes)}` });
      }
    }
    return out;
  },
};
