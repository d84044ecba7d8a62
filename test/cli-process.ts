/** Starting the emulator as a real process through its CLI, for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../emulator/cli.ts', import.meta.url));
/**
 * The sources run in ONE process (`node --import tsx`): the tsx wrapper would run the emulator in
 * a child that a SIGKILL sent to the wrapper never reaches.
 */
// tsx's loader by URL, so that a test may run the CLI from any working directory.
const TSX_LOADER = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const NODE_ARGS = ['--import', TSX_LOADER, CLI];

export interface Running {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `apoxy-emulator <args>` from the sources; resolves once it prints its listening line. */
export function startCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Running> {
  const env = opts.env ? { ...process.env, ...opts.env } : process.env;
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      const m = /listening on (\S+)/.exec(line);
      if (m) {
        resolve({
          child, url: m[1], stdout, stderr,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`emulator exited with ${code}: ${stderr.join('\n')}`)));
  });
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(args: string[], opts: { cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs any apoxy-emulator executable (an installed bin, the single-file executable) with these
 * arguments until it prints where it listens; stop() sends SIGTERM and resolves with the exit code.
 */
export function startServing(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => (child.kill('SIGTERM'), exited) });
    });
    exited.then(() => reject(new Error(`${command} exited: ${err}`)));
  });
}
