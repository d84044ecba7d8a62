/**
 * The resourceVersion query parameter as the etcd3 storage reads it: a decimal uint64
 * (strconv.ParseUint), compared with the store's current revision.
 */
import { errors, StatusError } from './status.js';

const MAX_UINT64 = 18446744073709551615n;

/** Parses a resourceVersion parameter; 400 with Go's message when it is not a uint64. */
export function parseResourceVersion(rv: string): number {
  const bad = (why: string) => errors.badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${why}`);
  if (!/^\d+$/.test(rv)) throw bad('invalid syntax');
  if (BigInt(rv) > MAX_UINT64) throw bad('value out of range');
  return Number(rv);
}

/** A resourceVersion the store has not reached yet: the cacher's 504 after its wait. */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}
