/** Shared by the reliability tests: temp data files and a few plain HTTP calls. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The CLI as one real process (see test/cli-process.ts). */
export { startCli as startEmulatorProcess } from '../cli-process.js';

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
