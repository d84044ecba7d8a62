/**
 * Optional features a scenario may require, probed on the target before the run, so that
 * skipping is decided by what the target answers, not by a flag the user must get right.
 * Probes are dry runs on names with the run's prefix and labels (the final sweep deletes
 * anything a target stored despite dryRun).
 */
import { versionOf, type ContractResource } from '../openapi/resources.js';
import { send, type Target } from './client.js';
import { RUN_LABEL } from './safety.js';
import type { Scenario } from './types.js';

export interface Feature {
  supported: boolean;
  evidence: string;
  /** Said by the user (a flag), not probed: nothing is sent to find it out. */
  declared?: boolean;
}
export type Features = Record<string, Feature>;

type Probe = (t: Target, resource: ContractResource, runId: string, timeoutMs: number, signal?: AbortSignal) => Promise<Feature>;

const PROBES: Record<string, Probe> = {
  /** Server-side apply: an apply patch (dry run) answered with anything but 415 Unsupported Media Type. */
  'server-side-apply': async (t, resource, runId, timeoutMs, signal) => {
    const name = `${runId}-probe-ssa`;
    const version = versionOf(resource);
    const body = { apiVersion: version.apiVersion, kind: resource.kind, metadata: { name, labels: { [RUN_LABEL]: runId } } };
    const url = `${t.base}${version.collection}/${name}?dryRun=All&fieldManager=apoxy-contracts`;
    const r = await send(t, 'PATCH', url, { 'content-type': 'application/apply-patch+yaml', accept: 'application/json' }, JSON.stringify(body), timeoutMs, signal);
    const supported = r.status !== 415 && r.status !== 405 && r.status < 500;
    return { supported, evidence: `probe PATCH (application/apply-patch+yaml, dryRun=All) answered ${r.status}` };
  },
};

/**
 * Features only the user can vouch for. `authentication`: the target refuses requests without
 * credentials (401). Probing cannot decide it honestly: a target that wrongly serves anonymous
 * requests would then be skipped instead of failed. So the run must be told (--expect-auth).
 */
export function declaredFeatures(o: { expectAuth?: boolean }): Features {
  return {
    authentication: o.expectAuth
      ? { supported: true, declared: true, evidence: 'the run was told the target requires credentials (--expect-auth)' }
      : { supported: false, declared: true, evidence: 'the run was not told the target requires credentials (pass --expect-auth when it does)' },
  };
}

/** Probes what the scenarios require, each on the resource of the first scenario that requires it. */
export async function probeFeatures(t: Target, resourceOf: (s: Scenario) => ContractResource, runId: string, scenarios: Scenario[], timeoutMs: number, signal?: AbortSignal, declared: Features = {}): Promise<Features> {
  const out: Features = {};
  for (const s of scenarios) {
    for (const f of s.requires ?? []) {
      if (f in out) continue;
      if (declared[f]) {
        out[f] = declared[f];
        continue;
      }
      const probe = PROBES[f];
      if (probe) out[f] = await probe(t, resourceOf(s), runId, timeoutMs, signal).catch((e: Error) => ({ supported: false, evidence: `probe failed: ${e.message}` }));
    }
  }
  return out;
}
