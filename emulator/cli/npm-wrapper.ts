/**
 * `npx apoxy-emulator serve &` then `kill $!` kills npm's wrapper, not the emulator: npm (and
 * the `sh -c` it runs the bin through) dies and the emulator lives on, orphaned, still serving.
 * When the emulator was started that way (its parent is `npm exec`/`npx`/`npm start`, directly or
 * through that `sh -c`), it follows the wrapper: once its parent is gone, it stops as on SIGTERM.
 * A script that backgrounds the emulator itself (`"pretest": "apoxy-emulator serve &"`, `npm run
 * x`) is left alone. Linux only (read from /proc); elsewhere, nothing changes.
 */
import { readFileSync } from 'node:fs';

/** The command line of a process, or undefined when it cannot be read. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** npm sets its process title to `npm exec ...`, `npm start`: a wrapper whose life is the command's. */
const isNpmWrapper = (argv: string[] | undefined) => !!argv && (argv.join(' ').startsWith('npm exec') || argv.join(' ').startsWith('npm start') || /(^|\/)npx$/.test(argv[0] ?? ''));
const isShell = (argv: string[] | undefined) => !!argv && /(^|\/)(sh|bash|dash)$/.test(argv[0] ?? '') && argv[1] === '-c';

/** Whether this process was started by npm's exec/start wrapper (through its `sh -c` or not). */
function startedByNpmWrapper(pid = process.pid): boolean {
  const parent = parentOf(pid);
  if (!parent || parent === 1) return false;
  const argv = commandLine(parent);
  if (isNpmWrapper(argv)) return true;
  const grandparent = isShell(argv) ? parentOf(parent) : undefined;
  return !!grandparent && isNpmWrapper(commandLine(grandparent));
}

/**
 * Calls `stop` once the process that started this one is gone (its parent process id changes),
 * if that process is npm's wrapper. The check runs twice a second on a timer that keeps nothing alive.
 */
export function followNpmWrapper(stop: () => void, intervalMs = 500): void {
  if (process.platform !== 'linux' || !startedByNpmWrapper()) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, intervalMs);
  timer.unref();
}
