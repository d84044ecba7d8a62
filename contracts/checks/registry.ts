/**
 * Every check, in one list: the runner shows each response to the checks a run selected
 * (`--checks`, `--exclude-checks`; all by default), and `--list-checks` prints this list. A
 * check is added by writing its file (one check, one job: see types.ts) and listing it here.
 *
 * Two kinds of failure are not checks and cannot be deselected: `transport` (a network error
 * or a timeout) and `unsafe_request` (a request the safety guard refused to send).
 */
import { ensureResourceAvailability } from './ensure-resource-availability.js';
import { expectedBody } from './expected-body.js';
import { expectedCauses } from './expected-causes.js';
import { expectedHeaders } from './expected-headers.js';
import { expectedMessage } from './expected-message.js';
import { expectedReason } from './expected-reason.js';
import { expectedStatus } from './expected-status.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { notAServerError } from './not-a-server-error.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import { statusCodeConformance } from './status-code-conformance.js';
import { statusObjectConformance } from './status-object-conformance.js';
import type { Check } from './types.js';
import { useAfterFree } from './use-after-free.js';
import { watchEvents } from './watch-events.js';

export const CHECK_REGISTRY: readonly Check[] = [
  notAServerError,
  statusCodeConformance,
  responseSchemaConformance,
  statusObjectConformance,
  negativeDataRejection,
  useAfterFree,
  ensureResourceAvailability,
  expectedStatus,
  expectedReason,
  expectedMessage,
  expectedBody,
  expectedCauses,
  expectedHeaders,
  watchEvents,
];

/** Failures that are not checks: they are always reported. */
export const RUN_ERRORS = {
  transport: 'transport',
  unsafeRequest: 'unsafe_request',
} as const;

/** A check by name (for the runner's own reports, e.g. a capture that found nothing). */
export function checkNamed(name: string): Check {
  const c = CHECK_REGISTRY.find((x) => x.name === name);
  if (!c) throw new Error(`no check named ${name}`);
  return c;
}

/**
 * The checks a run applies: `include` (or all, also when it says `all`) minus `exclude`
 * (`all` excludes every one). An unknown name is an error that lists the known ones.
 */
export function selectChecks(include: string[] = [], exclude: string[] = []): Check[] {
  const known = new Set(CHECK_REGISTRY.map((c) => c.name));
  for (const n of [...include, ...exclude]) {
    if (n !== 'all' && !known.has(n)) throw new Error(`unknown check ${JSON.stringify(n)}; the checks are: ${[...known].join(', ')} (or all)`);
  }
  const picked = include.length && !include.includes('all') ? CHECK_REGISTRY.filter((c) => include.includes(c.name)) : [...CHECK_REGISTRY];
  return exclude.includes('all') ? [] : picked.filter((c) => !exclude.includes(c.name));
}

/** `--list-checks`: one line per check. */
export function checkList(): string {
  const width = Math.max(...CHECK_REGISTRY.map((c) => c.name.length));
  const lines = CHECK_REGISTRY.map((c) => `${c.name.padEnd(width)}  ${c.source === 'scenario' ? '[scenario] ' : ''}${c.description}`);
  return lines.join('\n') + `\n\n[scenario]: what a step's own expect says; the others hold for every response.\nAlways reported, not selectable: ${Object.values(RUN_ERRORS).join(', ')}.\n`;
}
