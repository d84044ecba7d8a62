/**
 * `--simulate-ready <duration>`: a stand-in for the controller that reconciles Backends. A delay
 * after an object is created, or after its spec changes, it sets a `Ready` condition on the
 * object's status through the status subresource, as a controller would (so resourceVersions
 * move and watchers see MODIFIED). When the spec of a ready object changes, Ready turns False at
 * once and True again after the delay. Off by default.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EmulatorContext } from '../context.js';
import { formatTime } from '../machinery/time.js';
import { isStatusError } from '../machinery/status.js';
import type { KubeObject } from '../resources/types.js';

export const CONTROLLER_MANAGER = 'apoxy-emulator-controller';
const RESOURCE = 'backends';

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  [k: string]: unknown;
}

export interface ReadySimulator {
  /** Cancels every pending transition. */
  close(): void;
}

export function simulateReady(ctx: EmulatorContext, delayMs: number): ReadySimulator {
  const reg = ctx.registries.get(RESOURCE);
  const op = ctx.doc.operations.find((o) => o.resource === RESOURCE && o.action === 'put' && o.subresource === 'status');
  if (!reg || !op) throw new Error(`--simulate-ready needs ${RESOURCE} with a status subresource in openapi.yaml`);
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  const cancel = (name: string) => {
    clearTimeout(timers.get(name));
    timers.delete(name);
  };

  /** Writes the Ready condition, keeping lastTransitionTime when the status does not change. */
  const setReady = async (name: string, status: 'True' | 'False', reason: string, message: string): Promise<void> => {
    const current = ctx.store.get(RESOURCE, name);
    if (closed || !current || current.metadata.deletionTimestamp) return;
    const conditions = ((current.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter((c) => c && typeof c === 'object');
    const old = conditions.find((c) => c.type === 'Ready');
    if (old && old.status === status && old.reason === reason && old.message === message) return;
    const ready: Condition = {
      type: 'Ready',
      status,
      reason,
      message,
      lastTransitionTime: old && old.status === status ? old.lastTransitionTime : formatTime(ctx.runtime.clock()),
    };
    const next: KubeObject = { ...current, status: { ...(current.status ?? {}), conditions: [...conditions.filter((c) => c.type !== 'Ready'), ready] } };
    try {
      await reg.update({
        op,
        name,
        query: { fieldManager: CONTROLLER_MANAGER },
        body: Buffer.from(JSON.stringify(next)),
        contentType: 'application/json',
        userAgent: CONTROLLER_MANAGER,
      });
    } catch (e) {
      // Someone wrote in between (409) or it is gone (404): the next commit reschedules if needed.
      if (!isStatusError(e)) throw e;
    }
  };

  const schedule = (name: string) => {
    cancel(name);
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        void setReady(name, 'True', 'Reconciled', 'The backend is ready (simulated by apoxy-emulator).').catch(() => undefined);
      }, delayMs),
    );
  };

  ctx.store.onCommit((m, before) => {
    if (closed) return;
    if (m.op === 'reset') {
      for (const name of [...timers.keys()]) cancel(name);
      return;
    }
    if (m.resource !== RESOURCE) return;
    if (m.op === 'delete') return cancel(m.name);
    const obj = m.object;
    const name = obj.metadata.name!;
    if (obj.metadata.deletionTimestamp) return cancel(name);
    if (before && isDeepStrictEqual(before.spec, obj.spec)) return; // status, metadata: nothing to reconcile
    const wasReady = ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((c) => c?.type === 'Ready' && c.status === 'True');
    if (before && wasReady) void setReady(name, 'False', 'Reconciling', 'The spec changed; the backend is being reconciled.').catch(() => undefined);
    schedule(name);
  });

  // Objects already there (a data file, --seed) are reconciled like new ones.
  for (const obj of ctx.store.list(RESOURCE)) {
    const ready = ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((c) => c?.type === 'Ready' && c.status === 'True');
    if (!ready && !obj.metadata.deletionTimestamp) schedule(obj.metadata.name!);
  }

  return {
    close() {
      closed = true;
      for (const name of [...timers.keys()]) cancel(name);
    },
  };
}
