/**
 * A `request` step: one exchange, its expectations and captures, and for a create answered 201
 * the ensure_resource_availability read-back.
 */
import { CHECKS } from '../checks/index.js';
import { exchange, type StepContext } from './exchange.js';
import { capture, checkExpect, expectationFor } from './expectations.js';
import { BASE } from './safety.js';
import { substitute } from './template.js';
import type { Exchange, Step } from './types.js';

/** ensure_resource_availability: what a create answered 201 for can be read back, same uid. */
async function ensureAvailable(ctx: StepContext, step: Step, ex: Exchange) {
  const b = ex.body as Record<string, unknown>;
  const m = b?.metadata as Record<string, unknown> | undefined;
  if (!m?.name || new URL(ex.url).searchParams.get('dryRun')) return;
  const got = await exchange(ctx, `${step.name} (read back)`, { method: 'GET', path: `${BASE}/${encodeURIComponent(String(m.name))}` });
  const gm = (got.body as Record<string, Record<string, unknown>> | undefined)?.metadata;
  if (got.status !== 200 || gm?.uid !== m.uid) {
    ctx.failures.push({ check: CHECKS.ensureResourceAvailability, step: step.name, message: `created ${String(m.name)} (uid ${String(m.uid)}) but reading it back gave ${got.status}${gm?.uid ? ` uid ${String(gm.uid)}` : ''}`, exchange: got });
  }
}

export async function runRequestStep(ctx: StepContext, step: Step) {
  const e = expectationFor(step, ctx.o.profile);
  const wants = Array.isArray(e.status) ? e.status : e.status !== undefined ? [e.status] : [];
  const ex = await exchange(ctx, step.name, step.request!, { serverErrorExpected: wants.some((s) => s >= 500), timeoutMs: step.timeoutMs });
  checkExpect(ctx, step.name, ex, substitute(e, ctx.vars), !!step.negative);
  capture(ctx, step, ex);
  const op = ctx.matcher.match(ex.method, new URL(ex.url).pathname);
  if (ex.status === 201 && (op?.action === 'post' || op?.action === 'patch')) await ensureAvailable(ctx, step, ex);
}
