/** ensure_resource_availability: what a create answered 201 for can be read back, with the same uid. */
import type { Check } from './types.js';

const NAME = 'ensure_resource_availability';

export const ensureResourceAvailability: Check = {
  name: NAME,
  description: 'what a create answered 201 for cannot be read back with the same uid',
  source: 'contract',
  check(seen) {
    if (seen.on !== 'response' || !seen.readBackOf) return [];
    const created = (seen.readBackOf.body as Record<string, Record<string, unknown>> | undefined)?.metadata;
    const got = (seen.exchange.body as Record<string, Record<string, unknown>> | undefined)?.metadata;
    if (seen.exchange.status === 200 && got?.uid === created?.uid) return [];
    return [{ check: NAME, message: `created ${String(created?.name)} (uid ${String(created?.uid)}) but reading it back gave ${seen.exchange.status}${got?.uid ? ` uid ${String(got.uid)}` : ''}` }];
  },
};
