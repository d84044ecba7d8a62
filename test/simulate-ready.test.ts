import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator, type Harness } from './harness.js';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

const readyOf = (obj: { status?: { conditions?: Condition[] } }) => obj.status?.conditions?.find((c) => c.type === 'Ready');

/** Polls the object until `check` holds (the simulated controller acts on a real-time delay). */
async function until(h: Harness, name: string, check: (c: Condition | undefined) => boolean) {
  for (let i = 0; i < 500; i++) {
    const obj = (await h.api.get(`${BASE}/${name}`).expect(200)).body;
    if (check(readyOf(obj))) return obj;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the Ready condition of ${name} never reached the expected state`);
}

describe('--simulate-ready', () => {
  it('sets Ready after the delay, as a controller would, through the status subresource', async () => {
    const h = await startEmulator({ simulateReady: '400ms', fixedClock: '2026-01-01T00:00:00Z' });
    const created = (await h.api.post(BASE).send(backend('web')).expect(201)).body;
    expect(readyOf(created)).toBeUndefined();
    h.emulator.clock.advance(5000);
    const ready = await until(h, 'web', (c) => c?.status === 'True');
    expect(readyOf(ready)).toEqual({
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: 'The backend is ready (simulated by apoxy-emulator).',
      lastTransitionTime: '2026-01-01T00:00:05Z',
    });
    expect(Number(ready.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(ready.metadata.managedFields.map((m: { manager: string; subresource?: string }) => [m.manager, m.subresource])).toContainEqual(['apoxy-emulator-controller', 'status']);
    expect(ready.spec).toEqual(created.spec);
  });

  it('turns Ready False when the spec changes, then True again with a new transition time', async () => {
    const h = await startEmulator({ simulateReady: '300ms', fixedClock: '2026-01-01T00:00:00Z' });
    await h.api.post(BASE).send(backend('web')).expect(201);
    await until(h, 'web', (c) => c?.status === 'True');
    h.emulator.clock.advance(60_000);
    await h.api.patch(`${BASE}/web`).set('Content-Type', 'application/merge-patch+json').send({ spec: { protocol: 'h2' } }).expect(200);
    const reconciling = await until(h, 'web', (c) => c?.status !== 'True');
    expect(readyOf(reconciling)).toEqual({ type: 'Ready', status: 'False', reason: 'Reconciling', message: 'The spec changed; the backend is being reconciled.', lastTransitionTime: '2026-01-01T00:01:00Z' });
    h.emulator.clock.advance(60_000);
    const again = await until(h, 'web', (c) => c?.status === 'True');
    expect(readyOf(again)!.lastTransitionTime).toBe('2026-01-01T00:02:00Z');

    // A label change is not a spec change: Ready stays as it is.
    const rv = again.metadata.resourceVersion;
    const labelled = (await h.api.patch(`${BASE}/web`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { labels: { a: 'b' } } }).expect(200)).body;
    await new Promise((r) => setTimeout(r, 150));
    const after = (await h.api.get(`${BASE}/web`).expect(200)).body;
    expect(after.metadata.resourceVersion).toBe(labelled.metadata.resourceVersion);
    expect(Number(after.metadata.resourceVersion)).toBe(Number(rv) + 1);
  });

  it('is off by default', async () => {
    const h = await startEmulator();
    await h.api.post(BASE).send(backend('web')).expect(201);
    await new Promise((r) => setTimeout(r, 100));
    const obj = (await h.api.get(`${BASE}/web`).expect(200)).body;
    expect(readyOf(obj)).toBeUndefined();
    expect(obj.metadata.resourceVersion).toBe('1');
  });

  it('stops with the emulator: no write after close', async () => {
    const h = await startEmulator({ simulateReady: '30ms' });
    await h.api.post(BASE).send(backend('web')).expect(201);
    await h.emulator.close(); // the pending transition is cancelled, nothing writes to a closed store
    await new Promise((r) => setTimeout(r, 80));
    expect(readyOf(h.emulator.store.get('backends', 'web') as { status?: { conditions?: Condition[] } })).toBeUndefined();
  });
});
