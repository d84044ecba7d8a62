/**
 * Bad input: the generated corpus (test/reliability/corpus.ts, 800+ malformed requests) against
 * a real emulator process. Never a 5xx but the real server's own, never an error body that is not
 * a Status, never a crash; afterwards the process still serves correctly, nothing is polluted,
 * and the data file loads in a fresh emulator.
 */
import { request as httpRequest, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/index.js';
import type { Running } from '../cli-process.js';
import { COLLECTION, generateCorpus, type BadRequest } from './corpus.js';
import { BASE, backend, call, startEmulatorProcess, tempDir } from './helpers.js';

/**
 * The 5xx answers the real server itself gives for client input: a resourceVersion on create
 * (etcd3 store.Create), an apply with a field the schema lacks (kubernetes/kubernetes#122480),
 * and a resourceVersion newer than the store (the cacher's wait, then 504 Timeout).
 */
const REAL_SERVER_5XX: [number, RegExp][] = [
  [500, /resourceVersion should not be set on objects to be created/],
  [500, /failed to create typed patch object .*field not declared in schema/],
  [504, /Too large resource version/],
];

interface Outcome {
  status: number;
  contentType: string;
  body: string;
}

function send(url: string, agent: Agent, r: BadRequest): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method: r.method, path: r.path, agent, headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** What is wrong with an answer, or undefined when it is acceptable. */
function problem(o: Outcome): string | undefined {
  if (o.status >= 500) {
    if (REAL_SERVER_5XX.some(([code, message]) => o.status === code && message.test(o.body))) return undefined;
    return `server error ${o.status}`;
  }
  if (o.status < 400) return undefined;
  if (!o.contentType.startsWith('application/json')) return `error with content-type ${o.contentType}`;
  let body: any;
  try {
    body = JSON.parse(o.body);
  } catch {
    return 'error body is not JSON';
  }
  if (body?.kind !== 'Status' || body.apiVersion !== 'v1' || body.status !== 'Failure' || body.code !== o.status) return `error body is not a Status: ${o.body.slice(0, 200)}`;
  if (/\n\s+at /.test(body.message ?? '')) return 'stack trace in the message';
  return undefined;
}

describe('a corpus of malformed requests', () => {
  const tmp = tempDir();
  let emu: Running;
  beforeAll(async () => {
    emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]);
  });
  afterAll(async () => {
    await emu?.stop();
    tmp.cleanup();
  });

  it('answers every one with a Status, never a crash, and leaves the emulator sound', async () => {
    const corpus = generateCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    // The object the item requests aim at, and one written before, to compare shapes with after.
    expect((await call(emu.url, 'POST', BASE, backend('target', { labels: { app: 'web' } }))).status).toBe(201);
    const before = await call(emu.url, 'POST', BASE, backend('probe-before', { labels: { app: 'probe' } }));
    expect(before.status).toBe(201);

    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const problems: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < corpus.length) {
        const r = corpus[next++];
        try {
          const p = problem(await send(emu.url, agent, r));
          if (p) problems.push(`${r.label} (${r.method} ${r.path.slice(0, 80)}): ${p}`);
        } catch (e) {
          problems.push(`${r.label} (${r.method} ${r.path.slice(0, 80)}): ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    agent.destroy();
    expect(problems).toEqual([]);
    expect(emu.child.exitCode).toBeNull();

    // Still serves, and serves the same shapes as before the corpus.
    const health = await fetch(emu.url + '/healthz');
    expect(health.status).toBe(200);
    const after = await call(emu.url, 'POST', BASE, backend('probe-after', { labels: { app: 'probe' } }));
    expect(after.status).toBe(201);
    const shape = (o: any) => ({ top: Object.keys(o).sort(), metadata: Object.keys(o.metadata).sort(), spec: Object.keys(o.spec).sort() });
    expect(shape(after.body)).toEqual(shape(before.body));
    const probes = await call(emu.url, 'GET', `${BASE}?labelSelector=app%3Dprobe`);
    expect(probes.body.items.map((o: any) => o.metadata.name)).toEqual(['probe-after', 'probe-before']);
    // No prototype pollution: a key planted through __proto__ would make every object match.
    for (const key of ['polluted', 'prototype', 'constructor', '__proto__']) {
      const sel = await call(emu.url, 'GET', `${BASE}?labelSelector=${encodeURIComponent(key)}`);
      if (sel.status === 200) expect(sel.body.items.filter((o: any) => !Object.prototype.hasOwnProperty.call(o.metadata.labels ?? {}, key))).toEqual([]);
    }
    const list = await call(emu.url, 'GET', COLLECTION);
    for (const o of list.body.items) {
      expect(Object.prototype.hasOwnProperty.call(o, 'polluted')).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(o.metadata, 'polluted')).toBe(false);
    }

    // The data file loads in a fresh emulator, with the same objects.
    expect(await emu.stop()).toBe(0);
    const fresh = await createEmulator({ dataFile: tmp.file });
    try {
      const names = [...fresh.store.list('backends')].map((o) => o.metadata.name);
      expect(names).toEqual(list.body.items.map((o: any) => o.metadata.name));
    } finally {
      await fresh.close();
    }
  });
});
