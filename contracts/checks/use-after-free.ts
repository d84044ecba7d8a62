/**
 * use_after_free, keyed by uid (a name may be legitimately reused, a uid never): once a delete
 * completed (a Success Status, or a DELETED watch event), no response may show that uid again.
 * A watch stream is judged by its own order: nothing may follow the DELETED event of a uid.
 */
import type { Check, CheckFailure } from './types.js';

function revived(objects: Array<Record<string, unknown>>, freed: ReadonlyMap<string, string>, check: string): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const o of objects) {
    const m = o.metadata as Record<string, unknown> | undefined;
    const uid = m?.uid;
    const where = freed.get(uid as string); // uids are strings: any other value finds nothing
    if (where) out.push({ check, path: 'metadata.uid', message: `object ${String(m!.name)} uid ${String(uid)} was deleted (${where}) but is served again` });
  }
  return out;
}

const NAME = 'use_after_free';

export const useAfterFree: Check = {
  name: NAME,
  description: 'an object whose uid was deleted is served again (keyed by uid: names are reused)',
  source: 'contract',
  check(seen, env) {
    if (seen.on === 'response' && seen.exchange.status < 300 && !seen.watch) return revived(env.resources.objectsIn(seen.exchange.body), seen.freed, NAME);
    if (seen.on === 'watch-event' && seen.event && seen.event.type !== 'BOOKMARK' && seen.event.type !== 'ERROR' && seen.event.object) return revived([seen.event.object], seen.freed, NAME);
    return [];
  },
};
