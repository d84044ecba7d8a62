/**
 * Which uids a scenario (or a watch stream) has seen deleted, for use_after_free: a delete is
 * complete when it answers a Success Status (or a stream sends DELETED); the uid is then gone
 * for good, whatever name it had.
 */
export class UidTracker {
  /** uid → where it was deleted. */
  readonly freed = new Map<string, string>();
  private uidByName = new Map<string, string>();

  /** Remembers the uid each live name has, so a delete answered without one still frees it. */
  observe(objects: Array<Record<string, unknown>>) {
    for (const o of objects) {
      const m = o.metadata as Record<string, unknown> | undefined;
      if (typeof m?.uid === 'string' && typeof m.name === 'string' && !this.freed.has(m.uid)) this.uidByName.set(m.name, m.uid);
    }
  }

  /** A delete of `name` finished: the uid it had is gone for good. */
  deleted(name: string, uid: string | undefined, where: string) {
    const u = uid ?? this.uidByName.get(name);
    if (u) this.freed.set(u, where);
  }
}
