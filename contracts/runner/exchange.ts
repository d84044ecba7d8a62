/**
 * One request of a scenario: built from the step (placeholders, the run's safety guard), sent,
 * recorded with credentials redacted, and shown to every selected check. The state a
 * scenario's steps share (StepContext) is defined here too.
 */
import type { Check, CheckEnv, Seen } from '../checks/types.js';
import type { ContractDocument } from '../openapi/document.js';
import type { OperationMatcher } from '../openapi/operations.js';
import { locateIn, type ContractResource } from '../openapi/resources.js';
import { CREDENTIAL_HEADER, send, withoutCredentials, type Target } from './client.js';
import { guard, type Scope } from './safety.js';
import { substitute, type Vars } from './template.js';
import type { Exchange, Expectation, Failure, Profile, RequestSpec, ScenarioResult } from './types.js';
import type { UidTracker } from './uids.js';

/** The run was interrupted (Ctrl-C, SIGTERM): the scenario stops where it is. */
export class Aborted extends Error {}

/** A request's timeout when the run sets none (`--timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** The parts of a run's options that steps read (run.ts RunOptions has the rest). */
export interface StepSettings {
  target: Target;
  doc: ContractDocument;
  profile: Profile;
  /** Default DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Names of the objects a run created, per resource id, for cleanup. */
export type Created = Map<string, Set<string>>;

/** What the steps of one scenario share. */
export interface StepContext {
  o: StepSettings;
  matcher: OperationMatcher;
  /** What checks consult, and the checks the run applies. */
  env: CheckEnv;
  checks: readonly Check[];
  /** The resource the scenario tests. */
  resource: ContractResource;
  scope: Scope;
  vars: Vars;
  failures: Failure[];
  exchanges: ScenarioResult['exchanges'];
  uids: UidTracker;
  /** Status codes seen per operationId, for the coverage report. */
  exercised: Map<string, Set<number>>;
  created: Created;
}

export function qs(query: Record<string, string>): string {
  const p = new URLSearchParams(query).toString();
  return p ? `?${p}` : '';
}

export function stringifyQuery(q: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(q ?? {}).map(([k, v]) => [k, String(v)]));
}

/** The content type a request is sent with: the step's, or JSON when it has a body. */
export function contentTypeOf(r: Pick<RequestSpec, 'body' | 'contentType'>): string | undefined {
  return r.body !== undefined ? (r.contentType ?? 'application/json') : r.contentType;
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

/** Strings over 1 KiB (a filler) clipped to their start and length, at any depth. */
function clipStrings(v: unknown): unknown {
  if (typeof v === 'string') return v.length > 1024 ? `${v.slice(0, 64)}… (${v.length} characters in all)` : v;
  if (Array.isArray(v)) return v.map(clipStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clipStrings(x)]));
  return v;
}

export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Counts a status code as exercised for the operation (the coverage report). */
export function recordExercised(ctx: StepContext, operationId: string | undefined, status: number): void {
  if (!operationId) return;
  let set = ctx.exercised.get(operationId);
  if (!set) ctx.exercised.set(operationId, (set = new Set()));
  set.add(status);
}

/** Shows what was seen to every check the run applies; their failures go to the scenario. */
export function judge(ctx: StepContext, stepName: string, seen: Seen): void {
  for (const c of ctx.checks) {
    for (const f of c.check(seen, ctx.env)) ctx.failures.push({ ...f, step: stepName, exchange: seen.exchange });
  }
}

/** A failure the runner itself finds on behalf of a check (reported only when the run applies it). */
export function reportFor(ctx: StepContext, check: string, failure: Omit<Failure, 'check'>): void {
  if (ctx.checks.some((c) => c.name === check)) ctx.failures.push({ check, ...failure });
}

function remember(ctx: StepContext, name: string) {
  let set = ctx.created.get(ctx.resource.id);
  if (!set) ctx.created.set(ctx.resource.id, (set = new Set()));
  set.add(name);
}

export interface ExchangeOptions {
  /** What the step expects (none for the runner's own requests). */
  expect?: Expectation;
  negative?: boolean;
  timeoutMs?: number;
  /** The create this request reads back (ensure_resource_availability). */
  readBackOf?: Exchange;
}

/** Builds, guards and sends one request; records the exchange and shows it to the checks. */
export async function exchange(ctx: StepContext, stepName: string, spec: RequestSpec, opts: ExchangeOptions = {}): Promise<Exchange> {
  if (ctx.o.signal?.aborted) throw new Aborted();
  const r = substitute(spec, ctx.vars);
  const contentType = contentTypeOf(r);
  const { query, body } = guard(ctx.resource, r.method, r.path, stringifyQuery(r.query), contentType, r.body, ctx.scope);
  const url = `${ctx.o.target.base}${r.path}${qs(query)}`;
  const headers: Record<string, string> = { accept: 'application/json', ...(r.headers ?? {}) };
  if (contentType) headers['content-type'] = contentType;
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const op = ctx.matcher.match(r.method, r.path);
  const target = r.anonymous ? withoutCredentials(ctx.o.target) : ctx.o.target;
  const timeoutMs = Math.max(ctx.o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, opts.timeoutMs ?? 0);
  let res;
  try {
    res = await send(target, r.method, url, headers, text, timeoutMs, ctx.o.signal);
  } catch (e) {
    if (ctx.o.signal?.aborted) throw new Aborted();
    throw new Error(`${r.method} ${url}: ${(e as Error).message}`);
  }
  const ex: Exchange = {
    method: r.method, url, path: r.path, query, stepHeaders: headers, requestHeaders: redact({ ...target.headers, ...headers }), requestBody: recorded(text), sentBody: clipStrings(body),
    status: res.status, responseHeaders: res.headers, body: parseBody(res.text), operationId: op?.operationId,
  };
  ctx.exchanges.push({ step: stepName, exchange: ex });
  recordExercised(ctx, op?.operationId, res.status);
  judge(ctx, stepName, { on: 'response', exchange: ex, operation: op, expect: opts.expect ?? {}, negative: !!opts.negative, watch: false, readBackOf: opts.readBackOf, freed: ctx.uids.freed });
  if (res.status < 300) {
    const objs = ctx.env.resources.objectsIn(ex.body);
    ctx.uids.observe(objs);
    for (const o of objs) {
      const name = (o.metadata as Record<string, unknown> | undefined)?.name;
      if (typeof name === 'string' && name.startsWith(ctx.vars.prefix)) remember(ctx, name);
    }
    // A completed delete: a Success Status (an object answer means finalizers keep it).
    const b = ex.body as Record<string, unknown> | undefined;
    if (r.method === 'DELETE' && op?.action === 'delete' && b?.kind === 'Status' && !query.dryRun) {
      const name = locateIn(ctx.resource, r.path)!.name!;
      ctx.uids.deleted(name, (b.details as Record<string, string> | undefined)?.uid, stepName);
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
