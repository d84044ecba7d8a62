/**
 * A kubeconfig that points kubectl, client-go and @kubernetes/client-node at a running emulator.
 * An https server gets `insecure-skip-tls-verify` (the emulator's certificate is self-signed,
 * as the Apoxy CLI's local mode expects); an API key becomes the bearer token.
 */
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** The emulator's base URL, e.g. http://127.0.0.1:8080. */
  server: string;
  /** Cluster, user and context name. */
  name?: string;
  /** Sent as `Authorization: Bearer <token>` (the emulator's --api-key). */
  token?: string;
}

/** Throws with a readable message when `server` is not an http(s) URL without a path. */
export function checkServerUrl(server: string): URL {
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    throw new Error(`--server must be a URL such as http://127.0.0.1:8080, got ${JSON.stringify(server)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`--server must use http or https, got ${JSON.stringify(server)}`);
  return u;
}

export function kubeconfig(opts: KubeconfigOptions): string {
  const u = checkServerUrl(opts.server);
  const name = opts.name ?? 'apoxy-emulator';
  const cluster: Record<string, unknown> = { server: opts.server.replace(/\/+$/, '') };
  if (u.protocol === 'https:') cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    // A user without credentials makes kubectl prompt for a username on https servers, so the
    // user always has a token; an emulator without --api-key ignores it.
    users: [{ name, user: { token: opts.token ?? name } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}
