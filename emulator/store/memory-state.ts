/**
 * The in-memory state shared by both stores: objects by resource and name, each resource's
 * names kept sorted so that paging by key costs a binary search, not a sort per request.
 */
import type { KubeObject } from '../resources/types.js';
import type { CommittedMutation, NormalizeStored, StoreState } from './types.js';

/**
 * Stored objects are immutable: every write stores a new object. Freezing every object before it
 * is handed out makes that a guarantee (an accidental mutation fails loudly instead of changing
 * history under a reader, a watcher's backlog, the JSON cache of http/respond.ts or the data
 * file's text cache of data-file.ts).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

class SortedNames {
  constructor(private names: string[] = []) {}

  /** Index of the first name > `after` (or 0). */
  upperBound(after: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.names[mid] <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(name: string): void {
    const i = this.lowerBound(name);
    if (this.names[i] !== name) this.names.splice(i, 0, name);
  }
  remove(name: string): void {
    const i = this.lowerBound(name);
    if (this.names[i] === name) this.names.splice(i, 1);
  }
  at(i: number): string | undefined {
    return this.names[i];
  }
  get length(): number {
    return this.names.length;
  }
  /** The names, for a consistent view of the table at one instant. */
  copy(): string[] {
    return this.names.slice();
  }
  private lowerBound(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.names[mid] < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

class ResourceTable {
  readonly byName = new Map<string, KubeObject>();
  order = new SortedNames();
}

export class MemoryState {
  resourceVersion = 0;
  private tables = new Map<string, ResourceTable>();

  constructor(private readonly normalize?: NormalizeStored) {}

  /** A loaded object is normalized and frozen when first handed out (see load); the check is all a later read pays. */
  private handOut(resource: string, obj: KubeObject): KubeObject {
    if (!Object.isFrozen(obj)) {
      this.normalize?.(resource, obj);
      deepFreeze(obj);
    }
    return obj;
  }

  private table(resource: string): ResourceTable {
    let t = this.tables.get(resource);
    if (!t) this.tables.set(resource, (t = new ResourceTable()));
    return t;
  }

  get(resource: string, name: string): KubeObject | undefined {
    const obj = this.tables.get(resource)?.byName.get(name);
    return obj && this.handOut(resource, obj);
  }

  /** Nothing stored, resourceVersion 0: as a new store (MemoryStore.restart). */
  clear(): void {
    this.tables.clear();
    this.resourceVersion = 0;
  }

  /** Objects of every resource. */
  get size(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.byName.size;
    return n;
  }

  resources(): string[] {
    return [...this.tables.keys()];
  }

  count(resource: string): number {
    return this.tables.get(resource)?.byName.size ?? 0;
  }

  *list(resource: string, after?: string): IterableIterator<KubeObject> {
    const t = this.tables.get(resource);
    if (!t) return;
    // Re-find the position after each yield: a consumer may write between steps.
    let last = after;
    for (;;) {
      const i = last === undefined ? 0 : t.order.upperBound(last);
      const name = t.order.at(i);
      if (name === undefined) return;
      last = name;
      const obj = t.byName.get(name);
      if (obj) yield this.handOut(resource, obj);
    }
  }

  /** Applies a committed mutation; returns the object it replaced or removed. */
  apply(m: CommittedMutation): KubeObject | undefined {
    if (m.rv > this.resourceVersion) this.resourceVersion = m.rv;
    if (m.op === 'reset') {
      this.tables.clear();
      return undefined;
    }
    const t = this.table(m.resource);
    if (m.op === 'put') {
      const name = m.object.metadata.name!;
      const before = t.byName.get(name);
      t.byName.set(name, deepFreeze(m.object));
      if (!before) t.order.insert(name);
      return before && deepFreeze(before);
    }
    const before = t.byName.get(m.name);
    if (before) {
      t.byName.delete(m.name);
      t.order.remove(m.name);
    }
    return before && deepFreeze(before);
  }

  /**
   * Replaces everything with objects read from a data file: each resource's objects sorted by
   * name, names unique. They are normalized and frozen when first handed out, not here: doing it
   * for 10,000 objects would add tens of milliseconds to every start-up.
   */
  load(resourceVersion: number, tables: Iterable<[string, KubeObject[]]>): void {
    this.tables.clear();
    this.resourceVersion = Math.max(this.resourceVersion, resourceVersion);
    for (const [resource, objects] of tables) {
      const t = this.table(resource);
      for (const obj of objects) t.byName.set(obj.metadata.name!, obj);
      t.order = new SortedNames(objects.map((o) => o.metadata.name!));
    }
  }

  /** Every resource's objects in name order, as they are at this instant (objects are immutable). */
  capture(): [string, KubeObject[]][] {
    const out: [string, KubeObject[]][] = [];
    for (const [resource, t] of this.tables) out.push([resource, t.order.copy().map((name) => t.byName.get(name)!)]);
    return out;
  }

  export(): StoreState {
    // Null-prototype records: an object may be named "__proto__".
    const resources: StoreState['resources'] = Object.create(null);
    for (const resource of this.tables.keys()) {
      const objects: Record<string, KubeObject> = Object.create(null);
      for (const obj of this.list(resource)) objects[obj.metadata.name!] = obj;
      resources[resource] = objects;
    }
    return { resourceVersion: this.resourceVersion, resources };
  }
}
