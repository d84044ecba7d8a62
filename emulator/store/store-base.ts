/**
 * What both stores share: the in-memory state, resourceVersion assignment, and delivering
 * committed mutations to listeners (watch) in resourceVersion order once they are durable.
 */
import type { KubeObject } from '../resources/types.js';
import type { MemoryState } from './memory-state.js';
import type { CommittedMutation, Mutation, NormalizeStored, Store, StoreState } from './types.js';

type Listener = (m: CommittedMutation, before: KubeObject | undefined) => void;

export abstract class StoreBase implements Store {
  abstract readonly location: string;
  abstract readonly notes: readonly string[];
  private listeners: Listener[] = [];
  /** Chain of durability promises, so listeners hear mutations in order. */
  private delivered: Promise<void> = Promise.resolve();

  protected constructor(
    protected readonly state: MemoryState,
    private readonly normalize?: NormalizeStored,
  ) {}

  get resourceVersion(): number {
    return this.state.resourceVersion;
  }
  get(resource: string, name: string): KubeObject | undefined {
    return this.state.get(resource, name);
  }
  list(resource: string, after?: string): IterableIterator<KubeObject> {
    return this.state.list(resource, after);
  }
  count(resource: string): number {
    return this.state.count(resource);
  }
  resources(): string[] {
    return this.state.resources();
  }
  /** Objects of every resource. */
  get objectCount(): number {
    return this.state.size;
  }
  exportState(): StoreState {
    return this.state.export();
  }
  onCommit(listener: Listener): void {
    this.listeners.push(listener);
  }
  /** Resolves once every mutation committed so far has been delivered to the listeners. */
  protected async settled(): Promise<void> {
    let last;
    do {
      last = this.delivered;
      await last;
    } while (last !== this.delivered);
  }

  commit(mutation: Mutation): { rv: number; durable: Promise<void> } {
    const rv = this.state.resourceVersion + 1;
    let committed: CommittedMutation;
    if (mutation.op === 'put') {
      const object = { ...mutation.object, metadata: { ...mutation.object.metadata, resourceVersion: String(rv) } };
      committed = { ...mutation, object, rv };
    } else {
      committed = { ...mutation, rv };
    }
    const before = this.state.apply(committed);
    const durable = this.persist(committed);
    this.delivered = this.delivered.then(
      () => durable.then(() => this.deliver(committed, before)),
      () => undefined,
    );
    return { rv, durable };
  }

  replaceAll(state: StoreState): { rv: number; durable: Promise<void> } {
    // A reset followed by a put per object: the journal stays the one source of replay,
    // and watchers see DELETED/ADDED in order. Every object gets a fresh resourceVersion.
    const current = this.state.export();
    const results: Promise<void>[] = [];
    for (const [resource, objects] of Object.entries(current.resources)) {
      for (const name of Object.keys(objects)) results.push(this.commit({ op: 'delete', resource, name }).durable);
    }
    for (const [resource, objects] of Object.entries(state.resources)) {
      for (const name of Object.keys(objects).sort()) {
        // The caller's snapshot stays the caller's: the store keeps (and freezes) its own copy.
        const object = structuredClone(objects[name]);
        this.normalize?.(resource, object);
        results.push(this.commit({ op: 'put', resource, object }).durable);
      }
    }
    return { rv: this.state.resourceVersion, durable: Promise.all(results).then(() => undefined) };
  }

  protected abstract persist(m: CommittedMutation): Promise<void>;
  abstract close(): Promise<void>;

  private deliver(m: CommittedMutation, before: KubeObject | undefined): void {
    for (const l of this.listeners) {
      try {
        l(m, before);
      } catch {
        /* a listener's failure must not stop delivery to the others */
      }
    }
  }
}
