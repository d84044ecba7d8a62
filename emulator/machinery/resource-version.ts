/**
 * The resourceVersion query parameter as the etcd3 storage reads it: a decimal uint64
 * (strconv.ParseUint), compared with the store's current revision.
 */
import { errorString, fieldError, goQuote } from './field-errors.js';
import { errors, type StatusError } from './status.js';

const MAX_UINT64 = 18446744073709551615n;

/**
 * Parses a resourceVersion parameter; 400 when it is not a uint64, worded as upstream wraps
 * APIObjectVersioner.ParseResourceVersion's field error.
 */
export function parseResourceVersion(rv: string): number {
  const bad = (why: string) =>
    errors.badRequest(`invalid resource version: ${errorString(fieldError.invalid('resourceVersion', rv, `strconv.ParseUint: parsing ${goQuote(rv)}: ${why}`))}`);
  if (!/^\d+$/.test(rv)) throw bad('invalid syntax');
  if (BigInt(rv) > MAX_UINT64) throw bad('value out of range');
  return Number(rv);
}

/** A resourceVersion the store has not reached yet: storage.NewTooLargeResourceVersionError. */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  const e = errors.timeout(`Too large resource version: ${requested}, current: ${current}`, 1);
  e.status.details!.causes = [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }];
  return e;
}
