/**
 * The file-backed store: a lowdb JSON snapshot plus an append-only journal beside it.
 *
 *   <data>.json            lowdb snapshot {format, resourceVersion, resources}, written atomically
 *   <data>.json.journal    mutations since the snapshot, one JSON line each, fdatasync'd
 *   <data>.json.journal.old the previous journal while a compaction is writing the snapshot
 *
 * A write is acknowledged once its journal line is on disk. When the journal holds more entries
 * than the store has objects (at least COMPACT_MIN), the journal is rotated and the snapshot
 * rewritten, so the amortized cost of a write does not grow with the number of objects.
 * Start-up loads the snapshot, then replays .old and the journal, skipping what it already has.
 */
import { existsSync, readFileSync, truncateSync, unlinkSync, mkdirSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { acquireLock } from './lock.js';
import { JournalWriter, parseJournal } from './journal.js';
import { MemoryState } from './memory-state.js';
import { StoreBase } from './store-base.js';
import type { CommittedMutation, StoreState } from './types.js';

/** The snapshot's format tag; a file without it is not emulator data. */
export const DATA_FORMAT = 'apoxy-emulator/v1';
const COMPACT_MIN = 1000;

interface SnapshotFile {
  format: typeof DATA_FORMAT;
  resourceVersion: number;
  resources: StoreState['resources'];
}

export class DataFileError extends Error {}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads and checks the snapshot; never modifies a file it cannot understand. */
function readSnapshot(path: string): StoreState | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(`${path} is not valid emulator data: ${(e as Error).message}`);
  }
  const d = data as Partial<SnapshotFile>;
  const ok =
    typeof d === 'object' && d !== null && d.format === DATA_FORMAT && Number.isSafeInteger(d.resourceVersion) &&
    typeof d.resources === 'object' && d.resources !== null &&
    Object.values(d.resources).every((objs) => typeof objs === 'object' && objs !== null &&
      Object.entries(objs).every(([name, o]) => typeof o === 'object' && o !== null && (o as { metadata?: { name?: unknown } }).metadata?.name === name));
  if (!ok) throw new DataFileError(`${path} is not valid emulator data: expected {"format":"${DATA_FORMAT}","resourceVersion":<n>,"resources":{...}}`);
  return { resourceVersion: d.resourceVersion!, resources: d.resources! };
}

export class FileStore extends StoreBase {
  private compacting: Promise<void> | null = null;

  private constructor(
    state: MemoryState,
    readonly location: string,
    private readonly db: Low<SnapshotFile>,
    private readonly journal: JournalWriter,
    private readonly unlock: () => void,
  ) {
    super(state);
  }

  static async open(path: string): Promise<FileStore> {
    mkdirSync(dirname(path), { recursive: true });
    const unlock = acquireLock(path);
    try {
      const state = new MemoryState();
      const snapshot = readSnapshot(path);
      if (snapshot) state.load(snapshot);
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
        truncateSync(p, validBytes); // drop a torn, never-acknowledged last line
      }
      const db = new Low<SnapshotFile>(new JSONFile(path), { format: DATA_FORMAT, resourceVersion: 0, resources: {} });
      const journal = await JournalWriter.open(journalPath);
      const store = new FileStore(state, path, db, journal, unlock);
      if (existsSync(`${journalPath}.old`) || !snapshot) await store.compact();
      return store;
    } catch (e) {
      unlock();
      throw e;
    }
  }

  protected persist(m: CommittedMutation): Promise<void> {
    const durable = this.journal.append(m);
    if (!this.compacting && this.journal.entries > Math.max(COMPACT_MIN, this.state.size)) {
      this.compacting = durable.then(() => this.compact()).finally(() => (this.compacting = null));
    }
    return durable;
  }

  /** Rotate the journal, write the snapshot atomically (lowdb writes a temp file and renames), drop the old journal. */
  async compact(): Promise<void> {
    const journalPath = this.journal.path;
    await this.journal.rotate(`${journalPath}.old`);
    const state = this.state.export();
    this.db.data = { format: DATA_FORMAT, resourceVersion: state.resourceVersion, resources: state.resources };
    await this.db.write();
    fsyncPath(this.location);
    fsyncPath(dirname(this.location));
    if (existsSync(`${journalPath}.old`)) unlinkSync(`${journalPath}.old`);
  }

  async close(): Promise<void> {
    await this.compacting;
    await this.journal.close();
    this.unlock();
  }
}
