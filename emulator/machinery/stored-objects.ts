/**
 * Objects that were not written through the API (a data file edited by hand) are served as they
 * are stored, as kube-apiserver serves what etcd holds without validating it again; each one the
 * API would refuse gets a warning naming the object and the field.
 *
 * The check is a diagnostic for people: it starts once start-up is over (a quarter of a second
 * after the emulator starts listening, or a second after it was made if it never listens) and runs
 * in slices of a few milliseconds, so that it adds nothing to start-up and holds no request up.
 * At 10,000 objects it is about 100 ms of work in all.
 */
import type { Store } from '../store/types.js';
import type { ResourceRegistry } from './registry.js';

const SLICE_MS = 4;

export interface StoredObjectsCheck {
  /** (Re)starts the wait: the check begins `ms` from now. */
  startIn(ms: number): void;
  /** The emulator closes: no check, or no more of it. */
  stop(): void;
}

/** Warns, once start-up is over, about every stored object its registry would refuse. */
export function checkStoredObjects(store: Store, registries: Map<string, ResourceRegistry>, warn: (message: string) => void): StoredObjectsCheck {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const startIn = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(store, registries, warn, () => stopped), ms);
    timer.unref();
  };
  startIn(1000);
  return {
    startIn,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

async function check(store: Store, registries: Map<string, ResourceRegistry>, warn: (message: string) => void, stopped: () => boolean): Promise<void> {
  for (const resource of store.resources()) {
    const n = store.count(resource);
    if (!registries.has(resource) && n) warn(`resources.${resource} in ${store.location}: not a resource this emulator serves; its ${n === 1 ? 'object is kept as it is' : `${n} objects are kept as they are`}, unserved`);
  }
  let sliceStart = performance.now();
  for (const reg of registries.values()) {
    let after: string | undefined;
    for (;;) {
      // Re-listed from the last name after each pause: the store may change in between.
      let paused = false;
      for (const obj of store.list(reg.def.plural, after)) {
        after = obj.metadata.name;
        for (const p of reg.problemsOfStored(obj)) warn(`${reg.def.kind} ${JSON.stringify(after)} in ${store.location}: ${p}`);
        if (performance.now() - sliceStart > SLICE_MS) {
          paused = true;
          break;
        }
      }
      if (!paused) break;
      await new Promise<void>((r) => setImmediate(r));
      if (stopped()) return;
      sliceStart = performance.now();
    }
  }
}
