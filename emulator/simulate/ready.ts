/**
 * `--simulate-ready <duration>`: a stand-in for the controller that reconciles Backends (and any
 * other served resource with a status subresource). A delay
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

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  [k: string]: unknown;
}

function isReady(obj: KubeObject): boolean {
  return ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((c) => c?.type === 'Ready' && c.status === 'True');
}

export interface ReadySimulator {
  /** Cancels every pending transition. */
  close(): void;
}

export function simulateReady(ctx: EmulatorContext, delayMs: number): ReadySimulator {
  // Every resource whose status openapi.yaml lets a controller replace (PUT .../{name}/status),
  // written through its preferred version, as a controller built on the typed client does.
  const preferred = (resource: string) => ctx.registries.get(resource)?.versions[0].name;
  const reconciled = new Map(
    ctx.doc.operations
      .filter((o) => o.action === 'put' && o.subresource === 'status' && o.gvk.version === preferred(o.resource))
      .map((op) => [op.resource, { op, reg: ctx.registries.get(op.resource)! }]),
  );
  if (!reconciled.size) throw new Error('--simulate-ready needs a resource with a status subresource in openapi.yaml');
  const timers = new Map<string, NodeJS.Timeout>();
  const key = (resource: string, name: string) => `${resource}/${name}`;
  let closed = false;

  const cancel = (resource: string, name: string) => {
    clearTimeout(timers.get(key(resource, name)));
    timers.delete(key(resource, name));
  };

  /** Writes the Ready condition, keeping lastTransitionTime when the status does not change. */
  const setReady = async (resource: string, name: string, status: 'True' | 'False', reason: string, message: string): Promise<void> => {
    const { op, reg } = reconciled.get(resource)!;
    const current = ctx.store.get(resource, name);
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

  const schedule = (resource: string, name: string) => {
    cancel(resource, name);
    const what = reconciled.get(resource)!.reg.def.singular;
    timers.set(
      key(resource, name),
      setTimeout(() => {
        timers.delete(key(resource, name));
        void setReady(resource, name, 'True', 'Reconciled', `The ${what} is ready (simulated by apoxy-emulator).`).catch(() => undefined);
      }, delayMs),
    );
  };

  ctx.store.onCommit((m, before) => {
    if (closed) return;
    if (m.op === 'reset') return cancelAll();
    if (!reconciled.has(m.resource)) return;
    if (m.op === 'delete') return cancel(m.resource, m.name);
    const obj = m.object;
    const name = obj.metadata.name!;
    if (obj.metadata.deletionTimestamp) return cancel(m.resource, name);
    if (before && isDeepStrictEqual(before.spec, obj.spec)) return; // status, metadata: nothing to reconcile
    if (before && isReady(obj)) {
      const what = reconciled.get(m.resource)!.reg.def.singular;
      void setReady(m.resource, name, 'False', 'Reconciling', `The spec changed; the ${what} is being reconciled.`).catch(() => undefined);
    }
    schedule(m.resource, name);
  });

  // Objects already there (a data file, --seed) are reconciled like new ones.
  for (const resource of reconciled.keys()) {
    for (const obj of ctx.store.list(resource)) if (!isReady(obj) && !obj.metadata.deletionTimestamp) schedule(resource, obj.metadata.name!);
  }

  function cancelAll() {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  }

  return {
    close() {
      closed = true;
      cancelAll();
    },
  };
}
