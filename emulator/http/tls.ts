/**
 * HTTPS for the emulator, so it can stand in for a local Apoxy development API server
 * (https://localhost:8443, which the Apoxy CLI reaches with TLS verification off). Either a
 * given certificate and key, or a self-signed certificate made once when the server starts.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Express } from 'express';
import type { HttpLimits, TlsOption, TlsPems } from '../options.js';

/** Reads `--cert`/`--key` files; a message naming the file when one cannot be read. */
export function readTlsFiles(certFile: string, keyFile: string): TlsPems {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read TLS ${what} ${file}: ${(e as Error).message}`);
    }
  };
  return { cert: read(certFile, 'certificate'), key: read(keyFile, 'key') };
}

/** A self-signed server certificate (EC P-256: fast to make) valid for the local names. */
export async function selfSignedPems(now = new Date()): Promise<TlsPems> {
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);
  // Loaded only when asked for: it costs ~90 ms of start-up that plain HTTP does not need.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'apoxy-emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 3600_000),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function resolveTls(option: TlsOption): Promise<TlsPems> {
  return option === 'self-signed' ? selfSignedPems() : option;
}

/** An HTTPS server for the app, with the same header size and slow-client limits as plain HTTP. */
export function createTlsServer(app: Express, pems: TlsPems, limits: HttpLimits): Server {
  return createServer(
    {
      cert: pems.cert,
      key: pems.key,
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
    },
    app,
  );
}
