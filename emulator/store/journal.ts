/**
 * Append-only journal of committed mutations, one JSON line each, with group commit: every
 * mutation accepted while a flush is on disk goes out together in the next write + fdatasync.
 * The cost of one write is one line, whatever the size of the store.
 */
import { renameSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { CommittedMutation } from './types.js';

interface Pending {
  line: string;
  done: () => void;
  fail: (e: Error) => void;
}

export class JournalWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
  /** Set while rotating: appends wait in the queue. */
  private held = false;
  /** Size of the journal file with the lines waiting to be written (about: characters, not bytes). */
  bytes: number;

  private constructor(private fh: FileHandle, readonly path: string, size: number) {
    this.bytes = size;
  }

  static async open(path: string): Promise<JournalWriter> {
    const fh = await open(path, 'a');
    return new JournalWriter(fh, path, (await fh.stat()).size);
  }

  append(m: CommittedMutation): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((done, fail) => {
      const line = JSON.stringify(m) + '\n';
      this.bytes += line.length;
      this.queue.push({ line, done, fail });
      if (!this.flushing && !this.held) this.flushing = this.flushLoop();
    });
  }

  /** Resolves when everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * Moves the current journal to `oldPath` and continues in a fresh file. Appends made meanwhile
   * wait in the queue and go to the new file.
   */
  async rotate(oldPath: string): Promise<void> {
    this.held = true; // the flush in progress ends after its batch; none starts until the new file is open
    try {
      while (this.flushing) await this.flushing;
      renameSync(this.path, oldPath);
      await this.fh.close();
      this.fh = await open(this.path, 'a');
      this.bytes = this.queue.reduce((n, p) => n + p.line.length, 0);
    } finally {
      this.held = false;
      if (this.queue.length && !this.flushing) this.flushing = this.flushLoop();
    }
  }

  async close(): Promise<void> {
    await this.drain();
    await this.fh.close();
  }

  private async flushLoop(): Promise<void> {
    // Yield once so that writes arriving in the same tick join this batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length && !this.held) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.fh.write(batch.map((p) => p.line).join(''));
        await this.fh.datasync();
        for (const p of batch) p.done();
      } catch (e) {
        this.failed = e as Error;
        for (const p of [...batch, ...this.queue]) p.fail(this.failed);
        this.queue = [];
      }
    }
    this.flushing = null;
  }
}

/**
 * Reads a journal. A last line cut short by a crash was never acknowledged: it is dropped and
 * `validBytes` says where the good part ends. Damage anywhere else is an error.
 */
export function parseJournal(text: string, path: string): { mutations: CommittedMutation[]; validBytes: number } {
  const mutations: CommittedMutation[] = [];
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) break; // torn tail
    const line = text.slice(offset, nl);
    try {
      const m = JSON.parse(line) as CommittedMutation;
      if (typeof m !== 'object' || m === null || typeof m.rv !== 'number' || !['put', 'delete', 'reset'].includes(m.op)) throw new Error('not a journal entry');
      mutations.push(m);
    } catch (e) {
      if (text.indexOf('\n', nl + 1) === -1 && nl + 1 >= text.length) break; // torn last line
      throw new Error(`${path}: damaged journal entry at byte ${Buffer.byteLength(text.slice(0, offset))}: ${(e as Error).message}`);
    }
    offset = nl + 1;
  }
  return { mutations, validBytes: Buffer.byteLength(text.slice(0, offset)) };
}
