/**
 * `--reset-damaged-data`: a data file the emulator cannot read is moved aside, never deleted or
 * rewritten, so that whoever owns it can still inspect or repair it.
 */
import { existsSync, renameSync } from 'node:fs';

/**
 * Renames `<file>` and its journals to `<file>.damaged-<timestamp>[.journal[.old]]`, keeping them
 * together. Returns the new name of the data file.
 */
export function moveDamagedDataFile(dataFile: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${dataFile}.damaged-${stamp}`;
  for (const suffix of ['', '.journal', '.journal.old']) {
    if (existsSync(dataFile + suffix)) renameSync(dataFile + suffix, target + suffix);
  }
  return target;
}
