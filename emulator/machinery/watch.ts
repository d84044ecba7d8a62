/**
 * The watch cache: committed mutations become watch events, kept in a bounded history so a
 * client can resume from a resourceVersion, and fanned out to live watchers in order.
 */
import type { KubeObject } from '../resources/types.js';
import type { CommittedMutation, Store } from '../store/types.js';
import { deepFreeze } from '../store/index.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: EventType;
  rv: number;
  resource: string;
  object: KubeObject;
  /** The object before a MODIFIED, to tell selector transitions apart. */
  previous?: KubeObject;
}

type Subscriber = (e: WatchEvent) => void;

export class WatchHub {
  private history: WatchEvent[] = [];
  private start = 0;
  /** Every event with rv > historyFrom is in the history. */
  private historyFrom: number;
  private subscribers = new Set<Subscriber>();
  private closers = new Set<() => void>();

  constructor(store: Store, private readonly capacity = 10000) {
    this.historyFrom = store.resourceVersion;
    store.onCommit((m, before) => this.record(m, before));
  }

  get watcherCount(): number {
    return this.subscribers.size;
  }

  /** The oldest resourceVersion a watch can start from. */
  get oldestResumable(): number {
    return this.historyFrom;
  }

  /** Events after `rv`, in order; undefined when they are no longer retained. */
  since(rv: number): WatchEvent[] | undefined {
    if (rv < this.historyFrom) return undefined;
    const events = this.history.slice(this.start);
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (events[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return events.slice(lo);
  }

  subscribe(fn: Subscriber, onShutdown?: () => void): () => void {
    this.subscribers.add(fn);
    if (onShutdown) this.closers.add(onShutdown);
    return () => {
      this.subscribers.delete(fn);
      if (onShutdown) this.closers.delete(onShutdown);
    };
  }

  /** Ends every open watch (server shutdown). */
  shutdown(): void {
    for (const close of [...this.closers]) close();
  }

  /**
   * The store started its resourceVersion again from 0: every open watch ends (its client would
   * resume from a number that now means something else) and the history is forgotten.
   */
  restart(): void {
    this.shutdown();
    this.history = [];
    this.start = 0;
    this.historyFrom = 0;
  }

  private record(m: CommittedMutation, before: KubeObject | undefined): void {
    let e: WatchEvent;
    if (m.op === 'put') e = before ? { type: 'MODIFIED', rv: m.rv, resource: m.resource, object: m.object, previous: before } : { type: 'ADDED', rv: m.rv, resource: m.resource, object: m.object };
    else if (m.op === 'delete' && before) {
      // DELETED carries the last state with the delete's resourceVersion. Frozen like stored
      // objects: every watcher shares it (and a watch in another version, its converted copy).
      e = { type: 'DELETED', rv: m.rv, resource: m.resource, object: deepFreeze({ ...before, metadata: { ...before.metadata, resourceVersion: String(m.rv) } }) };
    } else return;
    this.history.push(e);
    if (this.history.length - this.start > this.capacity) {
      this.historyFrom = this.history[this.start].rv;
      this.start++;
      if (this.start > this.capacity) {
        this.history = this.history.slice(this.start);
        this.start = 0;
      }
    }
    for (const s of this.subscribers) s(e);
  }
}
