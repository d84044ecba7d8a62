/**
 * SIGTERM with requests provably in flight: each was parsed by the server (it answered
 * `100 Continue`) and is still sending its body when the signal arrives. Each then gets a
 * complete 201 saying `Connection: close`; a new connection is refused; the process exits 0 and
 * the objects are in the data file when it starts again.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Running } from '../cli-process.js';
import { BASE, backend, call, startEmulatorProcess, tempDir } from './helpers.js';

/** One request over its own socket, sent in two parts, with the raw answer collected. */
class SlowRequest {
  private socket: Socket;
  private raw = '';
  readonly ended: Promise<string>;
  private continued: Promise<void>;
  private readonly rest: string;

  constructor(url: string, name: string) {
    const { hostname, port } = new URL(url);
    const body = JSON.stringify(backend(name));
    const half = Math.floor(body.length / 2);
    this.rest = body.slice(half);
    this.socket = connect(Number(port), hostname);
    this.socket.setEncoding('utf8');
    this.continued = new Promise((resolve, reject) => {
      this.socket.on('data', (d: string) => {
        this.raw += d;
        if (this.raw.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
          this.raw = this.raw.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
          resolve();
        }
      });
      this.socket.on('error', reject);
    });
    this.ended = new Promise((resolve, reject) => {
      this.socket.on('end', () => resolve(this.raw));
      this.socket.on('error', reject);
    });
    this.socket.write(
      `POST ${BASE} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: keep-alive\r\nExpect: 100-continue\r\n\r\n${body.slice(0, half)}`,
    );
  }

  /** Resolves once the server has parsed the request line and headers. */
  inFlight(): Promise<void> {
    return this.continued;
  }

  finish(): void {
    this.socket.write(this.rest);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function parse(raw: string) {
  const at = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, at).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: raw.slice(at + 4) };
}

async function lineSeen(emu: Running, re: RegExp): Promise<void> {
  for (let i = 0; i < 500 && !emu.stdout.some((l) => re.test(l)); i++) await new Promise((r) => setTimeout(r, 20));
  expect(emu.stdout.join('\n')).toMatch(re);
}

describe('SIGTERM with requests in flight', () => {
  const tmp = tempDir();
  let emu: Running | undefined;
  const requests: SlowRequest[] = [];
  afterAll(async () => {
    requests.forEach((r) => r.destroy());
    await emu?.stop('SIGKILL');
    tmp.cleanup();
  });

  it('answers each in full, refuses new connections, exits 0 and keeps what it answered', async () => {
    emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]);
    const names = ['inflight-a', 'inflight-b', 'inflight-c'];
    for (const n of names) requests.push(new SlowRequest(emu.url, n));
    await Promise.all(requests.map((r) => r.inFlight()));

    const exited = emu.stop('SIGTERM');
    await lineSeen(emu, /SIGTERM, finishing in-flight writes/);

    // A request that was not in flight is refused at the door: no answer, no half answer.
    const refused = await fetch(`${emu.url}${BASE}`).then((r) => `answered ${r.status}`, (e: Error & { cause?: { code?: string } }) => e.cause?.code);
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused);

    for (const r of requests) r.finish();
    const answers = (await Promise.all(requests.map((r) => r.ended))).map(parse);
    for (const [i, a] of answers.entries()) {
      expect(a.statusLine).toBe('HTTP/1.1 201 Created');
      expect(a.headers.connection).toBe('close');
      expect(Buffer.byteLength(a.body)).toBe(Number(a.headers['content-length']));
      expect(JSON.parse(a.body).metadata.name).toBe(names[i]);
    }
    expect(await exited).toBe(0);

    emu = await startEmulatorProcess(['serve', '--port', '0', '--data', tmp.file]);
    const list = await call(emu.url, 'GET', BASE);
    expect(list.body.items.map((o: any) => o.metadata.name).sort()).toEqual(names);
    expect(await emu.stop()).toBe(0);
  });
});
