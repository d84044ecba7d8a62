/**
 * The default limits docs/security.md and docs/clients.md promise, on an emulator started with no
 * options: request line + headers up to 1 MiB, headers within 32 s and the request within 60 s,
 * 1,000 concurrent watches, a bookmark every minute. The tests that exercise each limit set small
 * values (security.test.ts, watch.test.ts); these pin the defaults themselves.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import express from 'express';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { createLimitedServer, httpLimits } from '../emulator/http/limits.js';
import { BASE } from './harness.js';

const MiB = 1 << 20;

describe('default limits', () => {
  let emulator: Emulator;
  let url: string;
  const open: ClientRequest[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    open.splice(0).forEach((r) => r.destroy());
  });
  afterAll(() => emulator?.close());

  const start = async () => {
    emulator ??= await createEmulator({});
    url ??= await emulator.listen(0);
    return url;
  };

  /** Opens a watch and resolves with its status once the headers arrive (the stream stays open). */
  const watch = (query = 'watch=true') =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}${BASE}?${query}`, { agent: false }, (res) => resolve(res.statusCode!));
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
      open.push(req);
    });

  it('serves request line and headers up to 1 MiB, and answers 431 past it', async () => {
    await start();
    const withHeader = (bytes: number) => fetch(url + BASE, { headers: { 'x-filler': 'a'.repeat(bytes) } }).then((r) => r.status);
    expect(await withHeader(MiB - 8 * 1024)).toBe(200);
    expect(await withHeader(MiB + 8 * 1024)).toBe(431);
  });

  it('gives a slow client 32 s for its headers and 60 s for the whole request', () => {
    const server = createLimitedServer(express(), httpLimits());
    expect([server.headersTimeout, server.requestTimeout]).toEqual([32_000, 60_000]);
  });

  it('admits 1,000 concurrent watches and refuses the next with 429', async () => {
    await start();
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 50) statuses.push(...(await Promise.all(Array.from({ length: 50 }, () => watch()))));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
    expect(await watch()).toBe(429);
  });

  it('sends a bookmark every minute', async () => {
    await start();
    const timers = vi.spyOn(globalThis, 'setInterval');
    expect(await watch('watch=true&allowWatchBookmarks=true')).toBe(200);
    expect(timers.mock.calls.map((c) => c[1])).toContain(60_000);
  });
});
