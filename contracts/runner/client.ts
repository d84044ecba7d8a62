/**
 * The HTTP side of a run: where the target is and how to reach it (headers, bearer token,
 * TLS: --insecure, client certificates and CA, possibly read from a kubeconfig).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { parse } from 'yaml';

export interface TargetOptions {
  target: string;
  headers: Record<string, string>;
  insecure?: boolean;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface Target {
  /** Base URL without a trailing slash. */
  base: string;
  headers: Record<string, string>;
  dispatcher?: Dispatcher;
  /** The same TLS settings without the client certificate (for requests sent without credentials). */
  anonymousDispatcher?: Dispatcher;
  close(): Promise<void>;
}

/** Headers that carry credentials: never reported, and left off requests sent without credentials. */
export const CREDENTIAL_HEADER = /authorization|key|token|cookie|secret/i;

export function connect(o: TargetOptions): Target {
  const needsAgent = o.insecure || o.ca || o.cert;
  const dispatcher = needsAgent
    ? new Agent({ connect: { rejectUnauthorized: !o.insecure, ca: o.ca, cert: o.cert, key: o.key } })
    : new Agent();
  const anonymousDispatcher = o.cert ? new Agent({ connect: { rejectUnauthorized: !o.insecure, ca: o.ca } }) : undefined;
  return {
    base: o.target.replace(/\/+$/, ''),
    headers: o.headers,
    dispatcher,
    anonymousDispatcher,
    close: async () => {
      await dispatcher.close();
      await anonymousDispatcher?.close();
    },
  };
}

/** The target as an anonymous client sees it: no credential headers, no client certificate. */
export function withoutCredentials(t: Target): Target {
  return { ...t, headers: Object.fromEntries(Object.entries(t.headers).filter(([k]) => !CREDENTIAL_HEADER.test(k))), dispatcher: t.anonymousDispatcher ?? t.dispatcher };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One request with a deadline; the signal aborts it early (Ctrl-C). */
export async function send(
  t: Target,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<RawResponse> {
  const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
  const res = await undiciFetch(url, { method, headers: { 'user-agent': 'apoxy-contracts', ...t.headers, ...headers }, body, dispatcher: t.dispatcher, signal: AbortSignal.any(signals) });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), text };
}

/** The credential values among headers (whole values, and a bearer token alone): never written to a recording. */
export function credentialValues(headers: Record<string, string>): string[] {
  return Object.entries(headers).filter(([k]) => CREDENTIAL_HEADER.test(k)).flatMap(([, v]) => [v, v.replace(/^(Bearer|Basic)\s+/i, '')]);
}

/** What the target answers to GET /version (the recording's manifest names it), or why not. */
export async function targetVersion(t: Target, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  try {
    const r = await send(t, 'GET', `${t.base}/version`, { accept: 'application/json' }, undefined, timeoutMs, signal);
    if (r.status !== 200) return { unavailable: `GET /version answered ${r.status}` };
    return JSON.parse(r.text) as unknown;
  } catch (e) {
    return { unavailable: `GET /version: ${(e as Error).message}` };
  }
}

/** `Name: value` → [name, value]. */
export function parseHeader(h: string): [string, string] {
  const i = h.indexOf(':');
  if (i <= 0) throw new Error(`--header must look like 'Name: value', got ${JSON.stringify(h)}`);
  return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean } }>;
  users?: Array<{ name: string; user: { token?: string; 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string } }>;
}

/** Server, token, client certificate and CA of a kubeconfig context (the current one by default). */
export function fromKubeconfig(file: string, contextName?: string): Omit<TargetOptions, 'headers'> & { token?: string } {
  const cfg = parse(readFileSync(file, 'utf8')) as KubeconfigFile;
  const name = contextName ?? cfg['current-context'];
  const ctx = cfg.contexts?.find((c) => c.name === name);
  if (!ctx) throw new Error(`kubeconfig ${file}: no context ${JSON.stringify(name)}`);
  const cluster = cfg.clusters?.find((c) => c.name === ctx.context.cluster)?.cluster;
  if (!cluster) throw new Error(`kubeconfig ${file}: no cluster ${JSON.stringify(ctx.context.cluster)}`);
  const user = cfg.users?.find((u) => u.name === ctx.context.user)?.user ?? {};
  const dir = dirname(resolve(file));
  const material = (data?: string, path?: string) =>
    data ? Buffer.from(data, 'base64') : path ? readFileSync(resolve(dir, path)) : undefined;
  return {
    target: cluster.server,
    insecure: cluster['insecure-skip-tls-verify'],
    ca: material(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: material(user['client-certificate-data'], user['client-certificate']),
    key: material(user['client-key-data'], user['client-key']),
    token: user.token,
  };
}
