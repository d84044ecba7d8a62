/**
 * A lowdb adapter for a text file written atomically, in pieces: the text goes to a temporary
 * file beside it one chunk at a time, is fsync'd, and is renamed over the file; then the directory
 * is fsync'd. A crash at any moment leaves the old file or the new one, never a mix.
 *
 * lowdb's own TextFile takes the text as one string: for a data file of many megabytes, building
 * that string holds the event loop for about 100 ms; chunks of a few hundred KB never do.
 */
import { readFile, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class AtomicTextFile implements Adapter<string[]> {
  private readonly temp: string;

  constructor(readonly path: string) {
    this.temp = join(dirname(path), `.${basename(path)}.tmp`);
  }

  async read(): Promise<string[] | null> {
    try {
      return [await readFile(this.path, 'utf8')];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async write(chunks: string[]): Promise<void> {
    const fh = await open(this.temp, 'w');
    try {
      for (const chunk of chunks) await fh.write(chunk);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(this.temp, this.path);
    await fsyncPath(dirname(this.path));
  }
}
