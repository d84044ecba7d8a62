/**
 * expected_body: the body differs from what the step expects: at a JSON path of `expect.body`
 * (a value or a matcher), or anywhere from `expect.exactBody` (the whole body, nothing more).
 */
import { jsonDifferences } from '../runner/json-diff.js';
import { getPath, mismatch } from '../runner/matchers.js';
import type { Check, CheckFailure } from './types.js';

const NAME = 'expected_body';

export const expectedBody: Check = {
  name: NAME,
  description: "the body differs from the step's expect.body (path by path) or expect.exactBody (as a whole)",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'response') return [];
    const out: CheckFailure[] = [];
    for (const [path, want] of Object.entries(seen.expect.body ?? {})) {
      const m = mismatch(getPath(seen.exchange.body, path), want);
      if (m) out.push({ check: NAME, path, message: `${path}: ${m}` });
    }
    if (seen.expect.exactBody !== undefined) {
      for (const d of jsonDifferences(seen.expect.exactBody, seen.exchange.body)) {
        out.push({ check: NAME, path: d.path, message: `${d.path || '(the whole body)'}: expected ${show(d.a)}, got ${show(d.b)}` });
      }
    }
    return out;
  },
};

function show(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v);
}
