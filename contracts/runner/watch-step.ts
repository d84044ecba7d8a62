/**
 * A `watch` step: opens a watch with the run's label selector, shows every line to the checks
 * as it arrives (use_after_free judged in the stream's own order), runs the step's `then` steps
 * while it is open, and shows the stream as a whole to the checks when it is over (the events
 * the step expects, in order: watch_events).
 */
import { fetch as undiciFetch } from 'undici';
import type { WatchEvent } from '../checks/types.js';
import { versionOf } from '../openapi/resources.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, judge, parseBody, qs, recordExercised, redact, stringifyQuery, type StepContext } from './exchange.js';
import { guard } from './safety.js';
import { substitute } from './template.js';
import type { Exchange, Step, WatchSpec } from './types.js';
import { UidTracker } from './uids.js';

/** Runs a step nested in the watch (a request or another watch). */
export type StepRunner = (ctx: StepContext, step: Step) => Promise<void>;

export async function runWatchStep(ctx: StepContext, step: Step, runStep: StepRunner) {
  const w = step.watch as WatchSpec;
  const query = stringifyQuery(substitute({ ...(w.query ?? {}), watch: '1' }, ctx.vars));
  const path = w.path !== undefined ? substitute(w.path, ctx.vars) : versionOf(ctx.resource).collection;
  const { query: q } = guard(ctx.resource, 'GET', path, query, undefined, undefined, ctx.scope);
  const url = `${ctx.o.target.base}${path}${qs(q)}`;
  const timeout = w.timeoutMs ?? 2000;
  const abort = new AbortController();
  const signals = AbortSignal.any([abort.signal, ...(ctx.o.signal ? [ctx.o.signal] : [])]);
  const op = ctx.matcher.match('GET', path);
  const stepHeaders = { accept: 'application/json' };
  const headers = { ...ctx.o.target.headers, ...stepHeaders };
  // Only the wait for the response headers has a deadline here; the stream is ended below.
  const headersDeadline = setTimeout(() => abort.abort(), ctx.o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const res = await undiciFetch(url, { headers, dispatcher: ctx.o.target.dispatcher, signal: signals });
  clearTimeout(headersDeadline);
  const ex: Exchange = { method: 'GET', url, path, query: q, stepHeaders, requestHeaders: redact(headers), status: res.status, responseHeaders: Object.fromEntries(res.headers), body: undefined, operationId: op?.operationId };
  ctx.exchanges.push({ step: step.name, exchange: ex });
  recordExercised(ctx, op?.operationId, res.status);
  const opened = { on: 'response', exchange: ex, operation: op, expect: { status: 200 }, negative: false, watch: true, freed: ctx.uids.freed } as const;
  if (res.status !== 200 || !res.body) {
    ex.body = parseBody(await res.text());
    judge(ctx, step.name, opened);
    return;
  }
  judge(ctx, step.name, opened);
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
          let ev: WatchEvent | undefined;
          try {
            ev = JSON.parse(line) as WatchEvent;
          } catch {
            ev = undefined;
          }
          judge(ctx, step.name, { on: 'watch-event', exchange: ex, operation: op, line, event: ev, freed: streamUids.freed });
          if (!ev) continue;
          events.push(ev);
          if (ev.type !== 'BOOKMARK' && ev.type !== 'ERROR' && ev.object) streamUids.observe([ev.object]);
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
  judge(ctx, step.name, { on: 'watch-end', exchange: ex, events: relevant(), expected: substitute(w.events, ctx.vars), timeoutMs: timeout });
}
