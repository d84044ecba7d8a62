/**
 * What keeps a run safe against production: every object it creates is named
 * `<run id>-…` and labelled `contracts.apoxy.dev/run=<run id>`; every list, watch and Delete
 * All carries the run's label selector; no request names an object outside the run's prefix.
 * The runner calls guard() on every request it builds, scenarios cannot opt out. The same
 * holds for the scenario's resource in every version openapi.yaml serves it in: every version
 * serves the same objects.
 */
import { randomBytes } from 'node:crypto';
import { locateIn, versionOf, type ContractResource } from '../openapi/resources.js';

export const RUN_LABEL = 'contracts.apoxy.dev/run';
export const SCENARIO_LABEL = 'contracts.apoxy.dev/scenario';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function newRunId(): string {
  const bytes = randomBytes(8);
  return 'ct-' + [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

export class UnsafeRequest extends Error {}

export interface Scope {
  runId: string;
  /** `s<n>` for a scenario, absent for the run-wide sweep. */
  scenario?: string;
}

export function selectorFor(scope: Scope): string {
  return scope.scenario ? `${RUN_LABEL}=${scope.runId},${SCENARIO_LABEL}=${scope.scenario}` : `${RUN_LABEL}=${scope.runId}`;
}

function labelsFor(scope: Scope): Record<string, string> {
  return scope.scenario ? { [RUN_LABEL]: scope.runId, [SCENARIO_LABEL]: scope.scenario } : { [RUN_LABEL]: scope.runId };
}

/** Adds the run's labels to an object body sent to create, replace or apply. */
function labelBody(body: unknown, scope: Scope): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  const meta = (b.metadata && typeof b.metadata === 'object' ? b.metadata : {}) as Record<string, unknown>;
  const labels = (meta.labels && typeof meta.labels === 'object' ? meta.labels : {}) as Record<string, unknown>;
  return { ...b, metadata: { ...meta, labels: { ...labels, ...labelsFor(scope) } } };
}

/**
 * Checks and completes one request: throws UnsafeRequest for anything that could read or
 * change an object the run did not create; returns the query and body to send.
 */
export function guard(
  resource: ContractResource,
  method: string,
  path: string,
  query: Record<string, string>,
  contentType: string | undefined,
  body: unknown,
  scope: Scope,
): { query: Record<string, string>; body: unknown } {
  const at = locateIn(resource, path);
  if (!at) throw new UnsafeRequest(`${path} is outside ${versionOf(resource).collection} (or the same collection in another version)`);
  const prefix = `${scope.runId}-`;
  if (at.name === undefined) {
    if (method === 'GET' || method === 'DELETE') {
      // Lists, watches and Delete All only ever see the run's own objects.
      const sel = query.labelSelector ? `${query.labelSelector},${selectorFor(scope)}` : selectorFor(scope);
      return { query: { ...query, labelSelector: sel }, body };
    }
    if (method === 'POST') {
      // A raw (e.g. malformed) body cannot be labelled; it must at least name the run.
      if (typeof body === 'string') {
        if (!body.includes(prefix)) throw new UnsafeRequest(`raw create body does not carry the run prefix ${prefix}`);
        return { query, body };
      }
      const meta = ((body as Record<string, unknown>)?.metadata ?? {}) as Record<string, unknown>;
      const named = typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined;
      const gen = typeof meta.generateName === 'string' ? meta.generateName : undefined;
      if (named !== undefined ? !named.startsWith(prefix) : !(gen ?? '').startsWith(prefix)) {
        throw new UnsafeRequest(`create of ${JSON.stringify(named ?? gen ?? '')} does not carry the run prefix ${prefix}`);
      }
      return { query, body: labelBody(body, scope) };
    }
    throw new UnsafeRequest(`${method} on the collection is not allowed`);
  }
  if (!at.name.startsWith(prefix)) throw new UnsafeRequest(`${method} ${path} names an object outside the run prefix ${prefix}`);
  if (method === 'PUT' && !at.subresource) return { query, body: labelBody(body, scope) };
  if (method === 'PATCH' && contentType === 'application/apply-patch+yaml') return { query, body: labelBody(body, scope) };
  return { query, body };
}
