/**
 * The file-backed store: the data file (data-file.ts, written through lowdb) plus an append-only
 * journal beside it while the emulator runs.
 *
 *   <data>.json              the state as of the last fold, for people and for git
 *   <data>.json.journal      mutations since, one JSON line each, fdatasync'd (journal.ts)
 *   <data>.json.journal.old  the journal being folded, while the fold writes the data file
 *
 * A write is acknowledged once its journal line is on disk: its cost does not depend on the
 * size of the store. The journal is folded into the data file when it outgrows the file or
 * JOURNAL_LIMIT_BYTES, whichever comes first (so a store that only grows folds too), and on every
 * clean stop, after which the data file alone holds the state and the journal is gone.
 *
 * Fold: rotate the journal to .old (unless a fold cut short left one: its mutations are in memory
 * and go into this fold too), write the data file from memory atomically (lowdb, with the adapter
 * of atomic-text-file.ts), delete .old.
 * A crash at any point leaves a data file plus journals that replay to every acknowledged write.
 * Start-up reads the data file, then replays .old and the journal, skipping what it already has.
 */
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { AtomicTextFile } from './atomic-text-file.js';
import { acquireLock } from './lock.js';
import { JournalWriter, parseJournal } from './journal.js';
import { MemoryState } from './memory-state.js';
import { StoreBase } from './store-base.js';
import { DataFileError, readDataFile, renderDataFile } from './data-file.js';
import type { CommittedMutation, NormalizeStored, StoreOptions } from './types.js';

export { DATA_FORMAT, DataFileError } from './data-file.js';

/** A journal this large is folded, however large the store. */
export const JOURNAL_LIMIT_BYTES = 4 * 1024 * 1024;
/** Below this, a journal is never folded while running (a small store would fold every few writes). */
const JOURNAL_FLOOR_BYTES = 256 * 1024;
/** A fold of a large store yields to requests about this often. */
const FOLD_SLICE_MS = 4;

export class FileStore extends StoreBase {
  private folding: Promise<void> | null = null;
  /** The data file's size when last written or read: the journal is folded when it outgrows it. */
  private dataBytes: number;
  /** The data file does not hold the state as it is in memory. */
  private stale: boolean;

  private constructor(
    state: MemoryState,
    readonly location: string,
    private readonly db: Low<string[]>,
    private readonly journal: JournalWriter,
    private readonly unlock: () => void,
    stale: boolean,
    readonly notes: readonly string[],
    normalize: NormalizeStored | undefined,
  ) {
    super(state, normalize);
    this.dataBytes = existsSync(location) ? statSync(location).size : 0;
    this.stale = stale;
  }

  private get oldJournalPath(): string {
    return `${this.journal.path}.old`;
  }

  /**
   * Opens the store (the data file locked against other emulators). A fold left half done by a
   * crash is finished in the background; a file that does not exist yet is written at once.
   */
  static async open(path: string, options: StoreOptions = {}): Promise<FileStore> {
    mkdirSync(dirname(path), { recursive: true });
    const unlock = acquireLock(path);
    try {
      const state = new MemoryState(options.normalize);
      const data = readDataFile(path);
      if (data) state.load(data.resourceVersion, data.tables);
      let stale = !data || data.stale;
      const journalPath = `${path}.journal`;
      for (const p of [`${journalPath}.old`, journalPath]) {
        if (!existsSync(p)) continue;
        let parsed;
        try {
          parsed = parseJournal(readFileSync(p, 'utf8'), p);
        } catch (e) {
          throw new DataFileError(`${path} cannot be loaded: ${(e as Error).message}`);
        }
        const { mutations, validBytes } = parsed;
        for (const m of mutations) if (m.rv > state.resourceVersion) state.apply(m);
        if (mutations.length) stale = true;
        truncateSync(p, validBytes); // drop a torn, never-acknowledged last line
      }
      const journal = await JournalWriter.open(journalPath);
      const store = new FileStore(state, path, new Low<string[]>(new AtomicTextFile(path), []), journal, unlock, stale, data?.notes ?? [], options.normalize);
      if (!data) await store.fold(); // a new data file is there from the start
      else if (existsSync(`${journalPath}.old`)) store.startFold();
      return store;
    } catch (e) {
      unlock();
      throw e;
    }
  }

  protected persist(m: CommittedMutation): Promise<void> {
    const durable = this.journal.append(m);
    this.stale = true;
    if (!this.folding && this.journal.bytes > Math.min(JOURNAL_LIMIT_BYTES, Math.max(JOURNAL_FLOOR_BYTES, this.dataBytes))) this.startFold();
    return durable;
  }

  private startFold(): void {
    if (this.folding) return;
    this.folding = this.fold(FOLD_SLICE_MS)
      .catch((e) => {
        // The journal still holds every write: nothing is lost; the next fold tries again.
        process.emitWarning(`apoxy-emulator: folding the journal into ${this.location} failed: ${(e as Error).message}`);
      })
      .finally(() => (this.folding = null));
  }

  /** Writes the state in memory to the data file and drops the journal it folded. */
  private async fold(sliceMs?: number): Promise<void> {
    if (!existsSync(this.oldJournalPath)) await this.journal.rotate(this.oldJournalPath);
    // After the rotation every mutation in memory is in the data file about to be written or
    // in the new journal (replay skips what the file already has).
    const resourceVersion = this.state.resourceVersion;
    this.db.data = await renderDataFile(resourceVersion, this.state.capture(), sliceMs);
    await this.db.write(); // atomic-text-file.ts: a temporary file, fsync'd, renamed over the data file
    unlinkSync(this.oldJournalPath);
    this.dataBytes = this.db.data.reduce((n, chunk) => n + chunk.length, 0);
    this.db.data = [];
    this.stale = this.state.resourceVersion !== resourceVersion;
  }

  /**
   * Folds whatever the data file does not hold yet (journals, an older layout, resourceVersions
   * given at start-up); false when there was nothing to fold.
   */
  async foldAll(): Promise<boolean> {
    await this.folding;
    await this.journal.drain();
    let folded = false;
    // Until nothing is left that the data file does not hold (a write may land during a fold).
    while (this.stale || existsSync(this.oldJournalPath)) {
      await this.fold();
      await this.journal.drain();
      folded = true;
    }
    return folded;
  }

  /** Folds the journal into the data file and removes it; releases the file. */
  async close(): Promise<void> {
    try {
      await this.foldAll();
      await this.journal.close();
      unlinkSync(this.journal.path); // everything in it is in the data file now
    } finally {
      this.unlock();
    }
  }
}
