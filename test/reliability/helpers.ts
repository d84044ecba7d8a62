/** Shared by the reliability tests: temp data files and a few plain HTTP calls. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Running } from '../cli-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../emulator/cli.ts', import.meta.url));

/**
 * Starts the CLI in one process (`node --import tsx`), unlike the tsx wrapper, which runs the
 * emulator in a child it cannot pass a SIGKILL on to: crash tests must kill the emulator itself.
 */
export function startEmulatorProcess(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

export const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';

/** A fresh directory for one test's data file; `cleanup` removes it. */
export function tempDir(): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-reliability-'));
  return { dir, file: join(dir, 'backends.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function backend(name: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name, ...extra }, spec: { endpoints: [{ fqdn: `${name}.example.com` }] } };
}

export interface Reply {
  status: number;
  body: any;
}

export async function call(url: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
  const res = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
