/** `--in-memory`: the same store with nothing written anywhere. */
import { MemoryState } from './memory-state.js';
import { StoreBase } from './store-base.js';

export class MemoryStore extends StoreBase {
  readonly location = 'in memory';
  readonly notes = [];
  constructor() {
    super(new MemoryState());
  }
  protected persist(): Promise<void> {
    return Promise.resolve();
  }
  async close(): Promise<void> {}
}
