/** `--in-memory`: the same store with nothing written anywhere. */
import { MemoryState } from './memory-state.js';
import { StoreBase } from './store-base.js';
import type { StoreOptions } from './types.js';

export class MemoryStore extends StoreBase {
  readonly location = 'in memory';
  readonly notes = [];
  constructor(options: StoreOptions = {}) {
    super(new MemoryState(options.normalize), options.normalize);
  }
  protected persist(): Promise<void> {
    return Promise.resolve();
  }
  async close(): Promise<void> {}
  /**
   * Empties the store and starts the resourceVersion again from 0, once earlier writes have
   * reached the watchers. Only in memory: a data file's journal is replayed by resourceVersion,
   * which must only rise.
   */
  async restart(): Promise<void> {
    await this.settled();
    this.state.clear();
  }
}
