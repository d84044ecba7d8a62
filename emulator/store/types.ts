import type { KubeObject } from '../resources/types.js';

/** One change to the store. Every write bumps the one store-wide resourceVersion. */
export type Mutation =
  | { op: 'put'; resource: string; object: KubeObject }
  | { op: 'delete'; resource: string; name: string }
  | { op: 'reset' };

/** A mutation as it was committed, with the resourceVersion it got. */
export type CommittedMutation = Mutation & { rv: number };

/** The whole state: what a snapshot file holds and what `GET /_emulator/snapshot` exports. */
export interface StoreState {
  resourceVersion: number;
  resources: Record<string, Record<string, KubeObject>>;
}

/**
 * Brings an object that entered the store without passing through the API (read from a data file,
 * restored from a snapshot) into the shape the API writes, in place. The real server re-encodes
 * what etcd holds through its Go types on every read, so an edited `annotations: {}` is never
 * served; here that happens once per object, when it is first handed out.
 */
export type NormalizeStored = (resource: string, obj: KubeObject) => void;

export interface StoreOptions {
  normalize?: NormalizeStored;
}

export interface Store {
  /** The current store-wide resourceVersion (etcd's revision). */
  readonly resourceVersion: number;
  /** Where the data lives, for messages ("in memory" when nowhere). */
  readonly location: string;
  /** What opening put right in the stored data (a resourceVersion given to a hand-added object), for a person to hear. */
  readonly notes: readonly string[];
  get(resource: string, name: string): KubeObject | undefined;
  /** Objects of one resource in key (name) order, starting after `after` when given. */
  list(resource: string, after?: string): IterableIterator<KubeObject>;
  count(resource: string): number;
  /** The resources that have (or had) objects, served or not (a data file may name any). */
  resources(): string[];
  /**
   * Applies the mutation in memory at once, stamping the new resourceVersion on a put object,
   * and resolves once it is durable. Callers acknowledge a write only after `durable`.
   */
  commit(mutation: Mutation): { rv: number; durable: Promise<void> };
  /** Replaces the whole state (snapshot import). The resourceVersion never goes backwards. */
  replaceAll(state: StoreState): { rv: number; durable: Promise<void> };
  exportState(): StoreState;
  /** Waits for every accepted write to be durable, then releases the data file. */
  close(): Promise<void>;
  /** Empty again with resourceVersion 0 (the in-memory store only: see MemoryStore.restart). */
  restart?(): Promise<void>;
  /** Called for each committed mutation, in resourceVersion order, once it is durable. */
  onCommit(listener: (m: CommittedMutation, before: KubeObject | undefined) => void): void;
}
