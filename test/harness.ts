/**
 * Test harness: an emulator in this process, checked against openapi.yaml on every response,
 * and a supertest agent on its app.
 */
import { afterEach, expect } from 'vitest';
import request from 'supertest';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js';

export const BASE = '/apis/core.apoxy.dev/v1alpha2/backends';

export interface Harness {
  emulator: Emulator;
  api: ReturnType<typeof request>;
}

const open: Emulator[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) {
    // Every response a test received must match what openapi.yaml declares for it.
    expect(e.responseProblems).toEqual([]);
    await e.close();
  }
});

export async function startEmulator(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await createEmulator({ validateResponses: true, ...options });
  open.push(emulator);
  return { emulator, api: request(emulator.app) };
}

export function backend(name: string, spec: Record<string, unknown> = { endpoints: [{ fqdn: 'a.example.com' }], protocol: '' }, metadata: Record<string, unknown> = {}) {
  return { apiVersion: 'core.apoxy.dev/v1alpha2', kind: 'Backend', metadata: { name, ...metadata }, spec };
}
