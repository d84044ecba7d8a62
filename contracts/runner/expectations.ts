/**
 * A request step's own expectations (`expect`, or `expectProfile.<profile>`): status, reason,
 * message, body paths, causes, headers; and its `capture`s for later steps.
 */
import { CHECKS } from '../checks/index.js';
import type { StepContext } from './exchange.js';
import { getPath, mismatch } from './template.js';
import type { Exchange, Expectation, Profile, Step } from './types.js';

/** `expectProfile.<profile>` replaces `expect` as a whole under that profile. */
export function expectationFor(step: Step, profile: Profile): Expectation {
  return step.expectProfile?.[profile] ?? step.expect ?? {};
}

export function checkExpect(ctx: StepContext, stepName: string, ex: Exchange, e: Expectation, negative: boolean) {
  const add = (check: string, message: string, path?: string) => ctx.failures.push({ check, step: stepName, path, message, exchange: ex });
  if (negative && ex.status < 300) add(CHECKS.negativeDataRejection, `invalid input was accepted with ${ex.status}`);
  if (e.status !== undefined) {
    const want = Array.isArray(e.status) ? e.status : [e.status];
    if (!want.includes(ex.status)) add(CHECKS.expectedStatus, `expected status ${want.join(' or ')}, got ${ex.status}`);
  }
  const body = ex.body as Record<string, unknown> | undefined;
  if (e.reason !== undefined && body?.reason !== e.reason) add(CHECKS.expectedReason, `expected reason ${e.reason}, got ${JSON.stringify(body?.reason)}`, 'reason');
  if (e.message !== undefined && body?.message !== e.message) add(CHECKS.expectedMessage, `expected message ${JSON.stringify(e.message)}, got ${JSON.stringify(body?.message)}`, 'message');
  if (e.messageContains !== undefined && !(typeof body?.message === 'string' && body.message.includes(e.messageContains))) {
    add(CHECKS.expectedMessage, `expected message containing ${JSON.stringify(e.messageContains)}, got ${JSON.stringify(body?.message)}`, 'message');
  }
  for (const [path, want] of Object.entries(e.body ?? {})) {
    const m = mismatch(getPath(ex.body, path), want);
    if (m) add(CHECKS.expectedBody, `${path}: ${m}`, path);
  }
  if (e.causes) {
    const causes = ((body?.details as Record<string, unknown> | undefined)?.causes ?? []) as Array<Record<string, unknown>>;
    for (const want of e.causes) {
      if (!causes.some((c) => Object.entries(want).every(([k, v]) => c[k] === v))) {
        add(CHECKS.expectedCauses, `no cause ${JSON.stringify(want)} among ${JSON.stringify(causes)}`, 'details.causes');
      }
    }
  }
  for (const [h, want] of Object.entries(e.headers ?? {})) {
    const v = ex.responseHeaders[h.toLowerCase()];
    const m = mismatch({ found: v !== undefined, value: v }, want);
    if (m) add(CHECKS.expectedHeaders, `header ${h}: ${m}`, `header:${h}`);
  }
}

export function capture(ctx: StepContext, step: Step, ex: Exchange) {
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const v = path.startsWith('header:') ? ex.responseHeaders[path.slice(7).toLowerCase()] : getPath(ex.body, path).value;
    if (v === undefined) ctx.failures.push({ check: CHECKS.expectedBody, step: step.name, path, message: `nothing to capture as ${name} at ${path}`, exchange: ex });
    ctx.vars.captures[name] = v;
  }
}
