/**
 * Names that modules on both sides of a boundary agree on, kept here so that neither side
 * imports the other: fault injection (faults/) writes `res.locals` entries that the HTTP layer
 * (http/) reads, and the admin API, its client and the request log share one URL prefix.
 */

/** `res.locals` key: ids of the fault rules that fired on this request (read by the request log). */
export const FIRED_FAULTS = 'firedFaults';

/** `res.locals` key: end this watch abruptly after N events (read by http/watch.ts). */
export const CUT_WATCH_AFTER_EVENTS = 'cutWatchAfterEvents';

/** kube-apiserver's default request body limit: a larger body gets 413 RequestEntityTooLarge. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Where the admin API for test harnesses lives: outside `/apis`, never mistaken for the Apoxy API. */
export const ADMIN_PREFIX = '/_emulator';
