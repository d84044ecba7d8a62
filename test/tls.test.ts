/**
 * HTTPS (the emulator standing in for a local Apoxy API server at https://localhost:8443) and the
 * kubeconfig the CLI prints for a running emulator.
 */
import { request as httpsRequest } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createEmulator, type Emulator } from '../emulator/index.js';
import { selfSignedPems } from '../emulator/http/tls.js';
import { runCli, startCli } from './cli-process.js';

interface Got {
  status: number;
  body: string;
  cert: PeerCertificate;
}

function get(url: string, opts: { ca?: string; servername?: string; rejectUnauthorized?: boolean } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...opts, agent: false }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerCertificate();
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, cert }));
    });
    req.on('error', reject);
    req.end();
  });
}

const running: Emulator[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const e of running) await e.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('TLS', () => {
  it("tls: 'self-signed' serves HTTPS with a certificate for localhost and 127.0.0.1, made at start-up", async () => {
    const e = await createEmulator({ tls: 'self-signed' });
    running.push(e);
    const url = await e.listen(0);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${url}/apis/core.apoxy.dev/v1alpha2/backends`, { rejectUnauthorized: false });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).kind).toBe('BackendList');
    expect(res.cert.subjectaltname).toContain('DNS:localhost');
    expect(res.cert.subjectaltname).toContain('IP Address:127.0.0.1');
    // A client that verifies certificates without trusting it refuses the connection.
    await expect(get(`${url}/version`)).rejects.toThrow(/self[- ]signed/i);
    // Plain HTTP on the same port is not served.
    await expect(fetch(url.replace('https:', 'http:') + '/version')).rejects.toThrow();
  });

  it('a given certificate and key are served, and verify for localhost against that certificate', async () => {
    const pems = await selfSignedPems();
    const e = await createEmulator({ tls: pems });
    running.push(e);
    const url = await e.listen(0);
    const port = new URL(url).port;
    const res = await get(`https://localhost:${port}/version`, { ca: pems.cert, rejectUnauthorized: true });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).gitVersion).toBe('v1.34.3');
  });
});

// Separate processes that share nothing: run side by side.
describe.concurrent('CLI: --tls, --cert/--key, kubeconfig', () => {
  it('serve --tls prints an https URL that answers', async () => {
    const cli = await startCli(['serve', '--in-memory', '--port', '0', '--tls']);
    try {
      expect(cli.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await get(`${cli.url}/healthz`, { rejectUnauthorized: false });
      expect(res.body).toBe('ok');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('bad TLS flags exit 2 (usage) or 1 (unreadable file, named); kubeconfig prints a config for the given server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apoxy-tls-'));
    dirs.push(dir);
    const certFile = join(dir, 'tls.crt');
    writeFileSync(certFile, (await selfSignedPems()).cert);
    // Independent processes: run them side by side.
    const [alone, missing, https, bad] = await Promise.all([
      runCli(['serve', '--in-memory', '--cert', certFile]),
      runCli(['serve', '--in-memory', '--port', '0', '--cert', certFile, '--key', join(dir, 'missing.key')]),
      runCli(['kubeconfig', '--server', 'https://localhost:8443', '--token', 's3cret']),
      runCli(['kubeconfig', '--server', 'localhost:8080']),
    ]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--cert and --key must be given together');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot read TLS key ${join(dir, 'missing.key')}`);

    expect(https.code).toBe(0);
    expect(parseYaml(https.stdout)).toEqual({
      apiVersion: 'v1', kind: 'Config',
      clusters: [{ name: 'apoxy-emulator', cluster: { server: 'https://localhost:8443', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'apoxy-emulator', user: { token: 's3cret' } }],
      contexts: [{ name: 'apoxy-emulator', context: { cluster: 'apoxy-emulator', user: 'apoxy-emulator' } }],
      'current-context': 'apoxy-emulator',
      preferences: {},
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--server must use http or https');
  });
});
