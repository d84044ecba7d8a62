/**
 * A `watch` step: opens a watch with the run's label selector, checks every event as it
 * arrives (schema, kind, use_after_free in the stream's own order), runs the step's `then`
 * steps while it is open, and compares the events with the expected ones, in order.
 */
import { fetch as undiciFetch } from 'undici';
import { CHECKS, responseChecks, UidTracker } from '../checks/index.js';
import { parseBody, qs, recordExercised, redact, stringifyQuery, type StepContext } from './exchange.js';
import { BASE, guard } from './safety.js';
import { getPath, mismatch, substitute } from './template.js';
import type { Exchange, Step, WatchSpec } from './types.js';

/** Runs a step nested in the watch (a request or another watch). */
export type StepRunner = (ctx: StepContext, step: Step) => Promise<void>;

interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export async function runWatchStep(ctx: StepContext, step: Step, runStep: StepRunner) {
  const w = step.watch as WatchSpec;
  const query = stringifyQuery(substitute({ ...(w.query ?? {}), watch: '1' }, ctx.vars));
  const path = substitute(w.path ?? BASE, ctx.vars);
  const { query: q } = guard('GET', path, query, undefined, undefined, ctx.scope);
  const url = `${ctx.o.target.base}${path}${qs(q)}`;
  const timeout = w.timeoutMs ?? 2000;
  const abort = new AbortController();
  const signals = AbortSignal.any([abort.signal, ...(ctx.o.signal ? [ctx.o.signal] : [])]);
  const op = ctx.matcher.match('GET', path);
  const headers = { ...ctx.o.target.headers, accept: 'application/json' };
  // Only the wait for the response headers has a deadline here; the stream is ended below.
  const headersDeadline = setTimeout(() => abort.abort(), ctx.o.requestTimeoutMs ?? 5000);
  const res = await undiciFetch(url, { headers, dispatcher: ctx.o.target.dispatcher, signal: signals });
  clearTimeout(headersDeadline);
  const ex: Exchange = { method: 'GET', url, requestHeaders: redact(headers), status: res.status, responseHeaders: Object.fromEntries(res.headers), body: undefined, operationId: op?.operationId };
  ctx.exchanges.push({ step: step.name, exchange: ex });
  recordExercised(ctx, op?.operationId, res.status);
  const fail = (check: string, message: string, path?: string) => ctx.failures.push({ check, step: step.name, path, message, exchange: ex });
  for (const f of responseChecks(ctx.o.doc, ctx.schemas, op, ex, ctx.o.profile, { serverErrorExpected: false, watch: true })) fail(f.check, f.message, f.path);
  if (res.status !== 200 || !res.body) {
    ex.body = parseBody(await res.text());
    fail(CHECKS.expectedStatus, `watch answered ${res.status}`);
    return;
  }
  const events: WatchEvent[] = [];
  // Events arrive after the requests that caused them, so use_after_free on a stream is judged
  // by the stream's own order: nothing may follow the DELETED event of a uid.
  const streamUids = new UidTracker();
  const wantsBookmarks = w.events.some((e) => e.type === 'BOOKMARK');
  const relevant = () => events.filter((e) => wantsBookmarks || e.type !== 'BOOKMARK');
  let done!: () => void;
  const enough = new Promise<void>((r) => (done = r));
  const reader = (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body!) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (!line) continue;
          let ev: WatchEvent;
          try {
            ev = JSON.parse(line) as WatchEvent;
          } catch {
            fail(CHECKS.responseSchemaConformance, `watch line is not JSON: ${line.slice(0, 200)}`);
            continue;
          }
          events.push(ev);
          if (op) for (const p of ctx.schemas.check(op.operationId, 200, 'application/json;stream=watch', ev, ctx.o.profile)) fail(CHECKS.responseSchemaConformance, `watch event: ${p}`);
          if (ev.type !== 'BOOKMARK' && ev.type !== 'ERROR' && ev.object?.kind !== 'Backend') fail(CHECKS.responseSchemaConformance, `watch event object of kind ${JSON.stringify(ev.object?.kind)}`, 'object.kind');
          if (ev.type !== 'BOOKMARK' && ev.type !== 'ERROR') {
            for (const f of streamUids.seen([ev.object])) fail(f.check, f.message, f.path);
          }
          if (ev.type === 'DELETED') {
            const m = ev.object.metadata as Record<string, string>;
            streamUids.deleted(m.name, m.uid, `${step.name} DELETED event`);
          }
          if (relevant().length >= w.events.length) done();
        }
      }
    } catch { /* aborted: the stream ends here */ }
    done();
  })();
  let deadline: NodeJS.Timeout | undefined;
  try {
    for (const inner of w.then ?? []) await runStep(ctx, inner);
    // The wait for events starts once the last action is answered, so slow actions cannot eat it.
    deadline = setTimeout(() => done(), timeout);
    await enough;
  } finally {
    clearTimeout(deadline);
    abort.abort();
    await reader;
  }
  ex.body = events;
  const got = relevant();
  w.events.forEach((want, i) => {
    const ev = substitute(want, ctx.vars);
    const actual = got[i];
    if (!actual) return fail(CHECKS.watchEvents, `event ${i + 1}: expected ${ev.type}, none arrived within ${timeout} ms (got ${got.map((g) => g.type).join(', ') || 'nothing'})`, `events[${i}]`);
    if (actual.type !== ev.type) return fail(CHECKS.watchEvents, `event ${i + 1}: expected ${ev.type}, got ${actual.type} (all: ${got.map((g) => g.type).join(', ')})`, `events[${i}].type`);
    for (const [path, v] of Object.entries(ev.object ?? {})) {
      const m = mismatch(getPath(actual.object, path), v);
      if (m) fail(CHECKS.watchEvents, `event ${i + 1} (${ev.type}) object.${path}: ${m}`, `events[${i}].object.${path}`);
    }
  });
}
