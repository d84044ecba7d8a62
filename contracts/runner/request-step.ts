/**
 * A `request` step: one exchange judged with the step's expectations, its captures, and for a
 * create answered 201 a read-back of the object (which ensure_resource_availability judges).
 */
import { expectedBody } from '../checks/expected-body.js';
import { versionOf } from '../openapi/resources.js';
import { exchange, reportFor, type StepContext } from './exchange.js';
import { getPath } from './matchers.js';
import { substitute } from './template.js';
import type { Exchange, Expectation, Profile, Step } from './types.js';

/** `expectProfile.<profile>` replaces `expect` as a whole under that profile. */
export function expectationFor(step: Step, profile: Profile): Expectation {
  return step.expectProfile?.[profile] ?? step.expect ?? {};
}

function capture(ctx: StepContext, step: Step, ex: Exchange) {
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const v = path.startsWith('header:') ? ex.responseHeaders[path.slice(7).toLowerCase()] : getPath(ex.body, path).value;
    if (v === undefined) reportFor(ctx, expectedBody.name, { step: step.name, path, message: `nothing to capture as ${name} at ${path}`, exchange: ex });
    ctx.vars.captures[name] = v;
  }
}

/** What a create answered 201 for, read back from the resource's first version. */
async function readBack(ctx: StepContext, step: Step, created: Exchange) {
  const m = (created.body as Record<string, Record<string, unknown>> | undefined)?.metadata;
  if (!m?.name || created.query.dryRun) return;
  await exchange(ctx, `${step.name} (read back)`, { method: 'GET', path: `${versionOf(ctx.resource).collection}/${encodeURIComponent(String(m.name))}` }, { readBackOf: created });
}

export async function runRequestStep(ctx: StepContext, step: Step) {
  const expect = substitute(expectationFor(step, ctx.o.profile), ctx.vars);
  const ex = await exchange(ctx, step.name, step.request!, { expect, negative: !!step.negative, timeoutMs: step.timeoutMs });
  capture(ctx, step, ex);
  const op = ctx.matcher.match(ex.method, ex.path);
  if (ex.status === 201 && (op?.action === 'post' || op?.action === 'patch')) await readBack(ctx, step, ex);
}
