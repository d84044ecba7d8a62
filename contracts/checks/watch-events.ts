/** watch_events: the events of a watch step are not the ones it expects, in that order. */
import { getPath, mismatch } from '../runner/matchers.js';
import type { Check, CheckFailure } from './types.js';

const NAME = 'watch_events';

export const watchEvents: Check = {
  name: NAME,
  description: "a watch step's events are not the ones it expects, in order",
  source: 'scenario',
  check(seen) {
    if (seen.on !== 'watch-end') return [];
    const got = seen.events;
    const out: CheckFailure[] = [];
    seen.expected.forEach((want, i) => {
      const actual = got[i];
      if (!actual) {
        out.push({ check: NAME, path: `events[${i}]`, message: `event ${i + 1}: expected ${want.type}, none arrived within ${seen.timeoutMs} ms (got ${got.map((g) => g.type).join(', ') || 'nothing'})` });
        return;
      }
      if (actual.type !== want.type) {
        out.push({ check: NAME, path: `events[${i}].type`, message: `event ${i + 1}: expected ${want.type}, got ${actual.type} (all: ${got.map((g) => g.type).join(', ')})` });
        return;
      }
      for (const [path, v] of Object.entries(want.object ?? {})) {
        const m = mismatch(getPath(actual.object, path), v);
        if (m) out.push({ check: NAME, path: `events[${i}].object.${path}`, message: `event ${i + 1} (${want.type}) object.${path}: ${m}` });
      }
    });
    return out;
  },
};
