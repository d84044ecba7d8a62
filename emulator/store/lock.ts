/**
 * One emulator per data file. The lock file holds the owner's pid; a lock whose process is
 * gone (SIGKILL, crash) is taken over at once, so a restart after a crash never waits.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';

export class DataFileInUseError extends Error {}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks this process holds: two emulators in one process must not share a file either. */
const heldHere = new Set<string>();

export function acquireLock(dataFile: string): () => void {
  const lockFile = `${dataFile}.lock`;
  if (heldHere.has(lockFile)) {
    throw new DataFileInUseError(`data file ${dataFile} is in use by another apoxy-emulator in this process; close it first or choose another --data file`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(lockFile);
      return () => {
        heldHere.delete(lockFile);
        try {
          unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(pid) && processAlive(pid) && pid !== process.pid) {
        throw new DataFileInUseError(
          `data file ${dataFile} is in use by another apoxy-emulator (pid ${pid}); stop it or choose another --data file`,
        );
      }
      unlinkSync(lockFile); // stale: its owner is gone
    }
  }
  throw new DataFileInUseError(`could not lock data file ${dataFile} (lock file ${lockFile})`);
}
