import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import type { Store, StoreOptions } from './types.js';

export type { Store, StoreState, StoreOptions, NormalizeStored, Mutation, CommittedMutation } from './types.js';
export { DataFileError } from './file-store.js';
export { DataFileInUseError } from './lock.js';
/** Stored objects are frozen; so are copies kept beside them (converted versions). */
export { deepFreeze } from './memory-state.js';

/** A file-backed store at `dataFile`, or an in-memory one when it is undefined. */
export async function openStore(dataFile: string | undefined, options: StoreOptions = {}): Promise<Store> {
  return dataFile ? FileStore.open(dataFile, options) : new MemoryStore(options);
}

/**
 * `apoxy-emulator compact`: folds a stopped emulator's journal into its data file. Refuses
 * (DataFileInUseError) a file a running emulator holds, and (DataFileError) one it cannot read.
 */
export async function compactDataFile(dataFile: string): Promise<{ folded: boolean; objects: number; resourceVersion: number; notes: readonly string[] }> {
  const store = await FileStore.open(dataFile);
  try {
    const folded = await store.foldAll();
    return { folded, objects: store.objectCount, resourceVersion: store.resourceVersion, notes: store.notes };
  } finally {
    await store.close();
  }
}
