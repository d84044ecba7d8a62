/**
 * Runs scenarios against a target: builds each request from the scenario (placeholders,
 * the run's safety guard), sends it, runs every check on the response, then the scenario's
 * own expectations and captures; watch steps stream NDJSON while their inner steps run.
 * Each scenario's objects are deleted when it ends, and the whole run's at the end, also
 * after a failure or an abort.
 */
import type { ApiDocument } from '../../emulator/openapi/document.js';
import { fetch as undiciFetch } from 'undici';
import { CHECKS, OperationMatcher, ResponseSchemas, objectsIn, responseChecks, UidTracker, type CheckFailure } from '../checks/index.js';
import { CREDENTIAL_HEADER, send, withoutCredentials, type Target } from './client.js';
import { cleanup, type CleanupReport } from './cleanup.js';
import { markKnown, type Divergence } from './divergences.js';
import { declaredFeatures, probeFeatures, type Features } from './features.js';
import { BASE, guard, objectName, selectorFor, UnsafeRequest, type Scope } from './safety.js';
import { getPath, mismatch, substitute, type Vars } from './template.js';
import type { Exchange, Expectation, Failure, Profile, RequestSpec, Scenario, ScenarioResult, Step, WatchSpec } from './types.js';

export interface RunOptions {
  target: Target;
  doc: ApiDocument;
  profile: Profile;
  scenarios: Scenario[];
  /** Position of each scenario in the full suite, for stable object names; defaults to the list order. */
  numbering?: Map<string, number>;
  runId: string;
  divergences?: Divergence[];
  requestTimeoutMs?: number;
  /** The target requires credentials: run the scenarios that require `authentication` (401s). */
  expectAuth?: boolean;
  signal?: AbortSignal;
  onScenario?: (r: ScenarioResult) => void;
}

export interface Coverage {
  operationId: string;
  method: string;
  path: string;
  exercised: number[];
  missing: number[];
}

export interface RunReport {
  runId: string;
  target: string;
  profile: Profile;
  features: Features;
  results: ScenarioResult[];
  counts: { passed: number; failed: number; skipped: number; known: number };
  coverage: Coverage[];
  cleanup: CleanupReport;
  aborted: boolean;
  durationMs: number;
}

class Aborted extends Error {}

interface Ctx {
  o: RunOptions;
  matcher: OperationMatcher;
  schemas: ResponseSchemas;
  scope: Scope;
  vars: Vars;
  failures: Failure[];
  exchanges: ScenarioResult['exchanges'];
  uids: UidTracker;
  exercised: Map<string, Set<number>>;
  created: Set<string>;
}

function qs(query: Record<string, string>): string {
  const p = new URLSearchParams(query).toString();
  return p ? `?${p}` : '';
}

function stringifyQuery(q: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(q ?? {}).map(([k, v]) => [k, String(v)]));
}

/** `expectProfile.<profile>` replaces `expect` as a whole under that profile. */
function mergeExpect(step: Step, profile: Profile): Expectation {
  return step.expectProfile?.[profile] ?? step.expect ?? {};
}

/** Credentials never reach a report: reports end up in CI artifacts. */
export function redact(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, CREDENTIAL_HEADER.test(k) ? '<redacted>' : v]));
}

/** Oversized bodies (a 413 step's filler) are recorded clipped: reports stay readable and small. */
const RECORDED_BODY_MAX = 64 * 1024;
function recorded(text: string | undefined): string | undefined {
  return text !== undefined && text.length > RECORDED_BODY_MAX ? `${text.slice(0, 1024)}… (${text.length} characters in all)` : text;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Builds, guards and sends one request; records the exchange and runs the per-response checks. */
async function exchange(ctx: Ctx, stepName: string, spec: RequestSpec, opts: { serverErrorExpected?: boolean; timeoutMs?: number } = {}): Promise<Exchange> {
  if (ctx.o.signal?.aborted) throw new Aborted();
  const r = substitute(spec, ctx.vars);
  const contentType = r.body !== undefined ? (r.contentType ?? 'application/json') : r.contentType;
  const { query, body } = guard(r.method, r.path, stringifyQuery(r.query), contentType, r.body, ctx.scope);
  const url = `${ctx.o.target.base}${r.path}${qs(query)}`;
  const headers: Record<string, string> = { accept: 'application/json', ...(r.headers ?? {}) };
  if (contentType) headers['content-type'] = contentType;
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const op = ctx.matcher.match(r.method, r.path);
  const target = r.anonymous ? withoutCredentials(ctx.o.target) : ctx.o.target;
  const timeoutMs = Math.max(ctx.o.requestTimeoutMs ?? 5000, opts.timeoutMs ?? 0);
  let res;
  try {
    res = await send(target, r.method, url, headers, text, timeoutMs, ctx.o.signal);
  } catch (e) {
    if (ctx.o.signal?.aborted) throw new Aborted();
    throw new Error(`${r.method} ${url}: ${(e as Error).message}`);
  }
  const ex: Exchange = { method: r.method, url, requestHeaders: redact({ ...target.headers, ...headers }), requestBody: recorded(text), status: res.status, responseHeaders: res.headers, body: parseBody(res.text), operationId: op?.operationId };
  ctx.exchanges.push({ step: stepName, exchange: ex });
  if (op) {
    let set = ctx.exercised.get(op.operationId);
    if (!set) ctx.exercised.set(op.operationId, (set = new Set()));
    set.add(res.status);
  }
  const fail = (fs: CheckFailure[]) => fs.forEach((f) => ctx.failures.push({ ...f, step: stepName, exchange: ex }));
  fail(responseChecks(ctx.o.doc, ctx.schemas, op, ex, ctx.o.profile, { serverErrorExpected: !!opts.serverErrorExpected }));
  if (res.status < 300) {
    const objs = objectsIn(ex.body);
    fail(ctx.uids.seen(objs));
    for (const o of objs) {
      const name = (o.metadata as Record<string, unknown> | undefined)?.name;
      if (typeof name === 'string' && name.startsWith(ctx.vars.prefix)) ctx.created.add(name);
    }
    // A completed delete: a Success Status (an object answer means finalizers keep it).
    const b = ex.body as Record<string, unknown> | undefined;
    if (r.method === 'DELETE' && op?.action === 'delete' && b?.kind === 'Status' && !query.dryRun) {
      const name = objectName(r.path)!;
      ctx.uids.deleted(name, (b.details as Record<string, string> | undefined)?.uid, `${stepName}`);
    }
    if (r.method === 'DELETE' && op?.action === 'deletecollection' && !query.dryRun) {
      for (const o of objs) {
        const m = o.metadata as Record<string, unknown>;
        if (!(m.finalizers as unknown[] | undefined)?.length) ctx.uids.deleted(String(m.name), m.uid as string, stepName);
      }
    }
  }
  return ex;
}

function checkExpect(ctx: Ctx, stepName: string, ex: Exchange, e: Expectation, negative: boolean) {
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

function capture(ctx: Ctx, step: Step, ex: Exchange) {
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const v = path.startsWith('header:') ? ex.responseHeaders[path.slice(7).toLowerCase()] : getPath(ex.body, path).value;
    if (v === undefined) ctx.failures.push({ check: CHECKS.expectedBody, step: step.name, path, message: `nothing to capture as ${name} at ${path}`, exchange: ex });
    ctx.vars.captures[name] = v;
  }
}

/** ensure_resource_availability: what a create answered 201 for can be read back, same uid. */
async function ensureAvailable(ctx: Ctx, step: Step, ex: Exchange) {
  const b = ex.body as Record<string, unknown>;
  const m = b?.metadata as Record<string, unknown> | undefined;
  if (!m?.name || new URL(ex.url).searchParams.get('dryRun')) return;
  const got = await exchange(ctx, `${step.name} (read back)`, { method: 'GET', path: `${BASE}/${encodeURIComponent(String(m.name))}` });
  const gm = (got.body as Record<string, Record<string, unknown>> | undefined)?.metadata;
  if (got.status !== 200 || gm?.uid !== m.uid) {
    ctx.failures.push({ check: CHECKS.ensureResourceAvailability, step: step.name, message: `created ${String(m.name)} (uid ${String(m.uid)}) but reading it back gave ${got.status}${gm?.uid ? ` uid ${String(gm.uid)}` : ''}`, exchange: got });
  }
}

async function runRequestStep(ctx: Ctx, step: Step) {
  const e = mergeExpect(step, ctx.o.profile);
  const wants = Array.isArray(e.status) ? e.status : e.status !== undefined ? [e.status] : [];
  const ex = await exchange(ctx, step.name, step.request!, { serverErrorExpected: wants.some((s) => s >= 500), timeoutMs: step.timeoutMs });
  checkExpect(ctx, step.name, ex, substitute(e, ctx.vars), !!step.negative);
  capture(ctx, step, ex);
  const op = ctx.matcher.match(ex.method, new URL(ex.url).pathname);
  if (ex.status === 201 && (op?.action === 'post' || op?.action === 'patch')) await ensureAvailable(ctx, step, ex);
}

interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

async function runWatchStep(ctx: Ctx, step: Step) {
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
  if (op) {
    let set = ctx.exercised.get(op.operationId);
    if (!set) ctx.exercised.set(op.operationId, (set = new Set()));
    set.add(res.status);
  }
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
    for (const inner of w.then ?? []) {
      if (inner.profiles && !inner.profiles.includes(ctx.o.profile)) continue;
      if (inner.request) await runRequestStep(ctx, inner);
      else await runWatchStep(ctx, inner);
    }
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

async function runScenario(ctx: Ctx, s: Scenario) {
  for (const step of s.steps) {
    if (step.profiles && !step.profiles.includes(ctx.o.profile)) continue;
    if (step.request) await runRequestStep(ctx, step);
    else await runWatchStep(ctx, step);
  }
}

function skipReason(s: Scenario, o: RunOptions, features: Features): string | undefined {
  if (s.skip) return s.skip;
  if (s.profiles && !s.profiles.includes(o.profile)) return `only under profile ${s.profiles.join(', ')}`;
  for (const r of s.requires ?? []) {
    const f = features[r];
    if (!f) return `requires ${r}, which this runner cannot probe`;
    if (!f.supported) return f.declared ? `requires ${r}: ${f.evidence}` : `target does not support ${r}: ${f.evidence}`;
  }
  return undefined;
}

export async function runScenarios(o: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const matcher = new OperationMatcher(o.doc);
  const schemas = ResponseSchemas.for(o.doc);
  const exercised = new Map<string, Set<number>>();
  const results: ScenarioResult[] = [];
  const allCreated = new Set<string>();
  let aborted = false;
  let features: Features = {};
  let cleanupReport: CleanupReport | undefined;
  let deletedByScenarios = 0;
  try {
    features = await probeFeatures(o.target, o.runId, o.scenarios, o.requestTimeoutMs ?? 5000, o.signal, declaredFeatures(o));
    for (const [i, s] of o.scenarios.entries()) {
      if (o.signal?.aborted) {
        aborted = true;
        break;
      }
      const t0 = performance.now();
      const reason = skipReason(s, o, features);
      const base = { id: s.id, title: s.title, tags: s.tags, failures: [] as Failure[], exchanges: [] as ScenarioResult['exchanges'] };
      if (reason) {
        const r: ScenarioResult = { ...base, outcome: 'skipped', skipReason: reason, durationMs: 0 };
        results.push(r);
        o.onScenario?.(r);
        continue;
      }
      const n = o.numbering?.get(s.id) ?? i;
      const scope: Scope = { runId: o.runId, scenario: `s${n}` };
      const ctx: Ctx = {
        o, matcher, schemas, scope, exercised,
        vars: { run: o.runId, prefix: `${o.runId}-s${n}`, base: BASE, label: selectorFor(scope), captures: {} },
        failures: base.failures,
        exchanges: base.exchanges,
        uids: new UidTracker(),
        created: allCreated,
      };
      try {
        await runScenario(ctx, s);
      } catch (e) {
        if (!(e instanceof Aborted || o.signal?.aborted)) {
          ctx.failures.push({ check: e instanceof UnsafeRequest ? CHECKS.unsafeRequest : CHECKS.transport, step: '-', message: (e as Error).message });
        }
      }
      if (o.signal?.aborted) aborted = true;
      // Each scenario leaves nothing behind, so the next starts clean and an abort leaves little.
      const c = await cleanup(o.target, scope, [...allCreated].filter((n2) => n2.startsWith(ctx.vars.prefix + '-')), o.requestTimeoutMs ?? 5000).catch(() => undefined);
      deletedByScenarios += c?.deleted ?? 0;
      markKnown(s.id, o.profile, ctx.failures, o.divergences ?? []);
      const open = ctx.failures.filter((f) => !f.known);
      // An interrupted scenario proves nothing either way.
      const outcome = aborted ? 'skipped' : open.length ? 'failed' : ctx.failures.length ? 'known' : 'passed';
      const r: ScenarioResult = { ...base, outcome, skipReason: aborted ? 'interrupted' : undefined, durationMs: performance.now() - t0 };
      results.push(r);
      o.onScenario?.(r);
      if (aborted) break;
    }
  } finally {
    // Whatever happened, the run's own objects go.
    cleanupReport = await cleanup(o.target, { runId: o.runId }, [...allCreated], o.requestTimeoutMs ?? 5000);
    cleanupReport.deleted += deletedByScenarios;
  }
  for (const s of o.scenarios.slice(results.length)) {
    results.push({ id: s.id, title: s.title, tags: s.tags, outcome: 'skipped', skipReason: 'interrupted', durationMs: 0, failures: [], exchanges: [] });
  }
  const counts = { passed: 0, failed: 0, skipped: 0, known: 0 };
  for (const r of results) counts[r.outcome]++;
  const coverage = o.doc.operations.map((op) => {
    const got = exercised.get(op.operationId) ?? new Set<number>();
    const declared = [...op.responses.keys()].sort();
    return { operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, exercised: declared.filter((c) => got.has(c)), missing: declared.filter((c) => !got.has(c)) };
  });
  return { runId: o.runId, target: o.target.base, profile: o.profile, features, results, counts, coverage, cleanup: cleanupReport!, aborted, durationMs: performance.now() - started };
}
