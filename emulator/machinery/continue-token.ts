/**
 * Continue tokens as the etcd3 storage writes them: base64url (no padding) of
 * {"v":"meta.k8s.io/v1","rv":<list RV>,"start":"<last key>\u0000"}.
 */
import { errors } from './status.js';

export function encodeContinue(lastName: string, listRV: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: listRV, start: `${lastName}\u0000` })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; after: string } {
  const bad = (why: string) => errors.badRequest(`invalid continue token: continue key is not valid: ${why}`);
  if (!/^[A-Za-z0-9_-]*$/.test(token) || token.length % 4 === 1) throw bad('illegal base64 data at input byte 0');
  let c: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (typeof c !== 'object' || c === null || c.v !== 'meta.k8s.io/v1') throw bad('server does not recognize this encoded key');
  if (typeof c.rv !== 'number' || !Number.isSafeInteger(c.rv) || c.rv <= 0) throw bad('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof c.start !== 'string' || c.start.length === 0) throw bad('encoded start key was empty');
  if (c.start.includes('/') || c.start.startsWith('.')) throw bad('continue key is not valid: illegal path traversal');
  return { rv: c.rv, after: c.start.replace(/\u0000$/, '') };
}
