import { describe, expect, it } from 'vitest';
import { BASE, backend, startEmulator } from './harness.js';
import type { FaultRuleSpec } from '../emulator/faults/rules.js';

const FAULTS = '/_emulator/faults';

describe('injected errors', () => {
  it('answers 429, 500, 503, 504 and 409 as proper Status objects', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('web')).expect(201);
    const cases: [number, Record<string, unknown>, Record<string, string>?][] = [
      [429, { reason: 'TooManyRequests', message: 'Too many requests, please try again later.', details: { retryAfterSeconds: 7 } }, { 'retry-after': '7' }],
      [500, { reason: 'InternalError', message: 'Internal error occurred: injected fault boom', details: { causes: [{ message: 'injected fault boom' }] } }],
      [503, { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' }],
      [504, { reason: 'Timeout', message: 'Timeout: request did not complete within requested timeout - context deadline exceeded' }],
      [409, { reason: 'Conflict', message: 'Operation cannot be fulfilled on backends.core.apoxy.dev "web": the object has been modified; please apply your changes to the latest version and try again', details: { name: 'web', group: 'core.apoxy.dev', kind: 'backends' } }],
    ];
    for (const [code, expected, headers] of cases) {
      await api.put(FAULTS).send({ rules: [{ id: 'boom', match: { operation: 'get' }, error: { code, ...(code === 429 ? { retryAfterSeconds: 7 } : {}) } }] }).expect(200);
      const res = await api.get(`${BASE}/web`).expect(code);
      expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, ...expected });
      expect(res.headers['content-type']).toBe('application/json');
      for (const [k, v] of Object.entries(headers ?? {})) expect(res.headers[k]).toBe(v);
    }
    await api.delete(FAULTS).expect(200);
    await api.get(`${BASE}/web`).expect(200);
  });

  it('matches by operation (verb or operationId), name and label selector of the sent or stored object', async () => {
    const { api } = await startEmulator();
    await api.put(FAULTS).send([
      { id: 'edge-writes', match: { operation: ['create', 'patch'], labelSelector: 'tier=edge' }, error: { code: 503 } },
      { id: 'one-name', match: { operation: 'deleteCoreApoxyDevV1alpha2Backend', name: 'doomed' }, error: { code: 500 } },
    ]).expect(200);
    await api.post(BASE).send(backend('edge', undefined, { labels: { tier: 'edge' } })).expect(503);
    await api.post(BASE).send(backend('core', undefined, { labels: { tier: 'core' } })).expect(201);
    await api.post(BASE).send(backend('doomed')).expect(201);
    await api.patch(`${BASE}/core`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { annotations: { a: 'b' } } }).expect(200);
    await api.delete(`${BASE}/core`).expect(200);
    await api.delete(`${BASE}/doomed`).expect(500);
    await api.get(BASE).expect(200); // a list has no object to select on
    const report = (await api.get(FAULTS).expect(200)).body;
    expect(report.rules.map((r: { id: string; matched: number; fired: number }) => [r.id, r.matched, r.fired])).toEqual([
      ['edge-writes', 1, 1],
      ['one-name', 1, 1],
    ]);
  });
});

describe('selecting by labels', () => {
  it('judges a get, patch or delete by the labels of the stored object, not of the body', async () => {
    const { api } = await startEmulator();
    await api.post(BASE).send(backend('edge', undefined, { labels: { tier: 'edge' } })).expect(201);
    await api.post(BASE).send(backend('core', undefined, { labels: { tier: 'core' } })).expect(201);
    await api.put(FAULTS).send([{ id: 'edge', match: { operation: ['get', 'patch', 'delete'], labelSelector: 'tier=edge' }, error: { code: 503 } }]).expect(200);
    const merge = (name: string, labels: Record<string, string>) => api.patch(`${BASE}/${name}`).set('Content-Type', 'application/merge-patch+json').send({ metadata: { labels } });
    await api.get(`${BASE}/edge`).expect(503);
    await api.get(`${BASE}/core`).expect(200);
    await merge('edge', { tier: 'core' }).expect(503); // the body's labels do not count
    await merge('core', { tier: 'edge' }).expect(200); // what was stored when it arrived does
    await api.delete(`${BASE}/core`).expect(503); // core is tier=edge now
    await api.get(`${BASE}/missing`).expect(404); // nothing stored: nothing to select on
    const report = (await api.get(FAULTS).expect(200)).body;
    expect(report.rules.map((r: { matched: number; fired: number }) => [r.matched, r.fired])).toEqual([[3, 3]]);
  });
});

describe('when rules fire', () => {
  it('fires on every Nth matching request, or on the next N', async () => {
    const { api } = await startEmulator({ faults: [{ id: 'third', match: { operation: 'list' }, everyNth: 3, error: { code: 500 } }] });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await api.get(BASE)).status);
    expect(codes).toEqual([200, 200, 500, 200, 200, 500, 200]);

    await api.put(FAULTS).send({ rules: [{ id: 'next-two', times: 2, error: { code: 503 } }] }).expect(200);
    const next: number[] = [];
    for (let i = 0; i < 4; i++) next.push((await api.get(BASE)).status);
    expect(next).toEqual([503, 503, 200, 200]);
    expect((await api.get(FAULTS).expect(200)).body.rules[0]).toMatchObject({ id: 'next-two', times: 2, matched: 4, fired: 2 });
  });

  it('fires with a probability that is reproducible under a seed', async () => {
    const rules: FaultRuleSpec[] = [{ id: 'flaky', match: { operation: 'list' }, probability: 0.5, error: { code: 503 } }];
    const run = async (seed: number) => {
      const { api } = await startEmulator({ faults: { seed, rules } });
      const codes: number[] = [];
      for (let i = 0; i < 40; i++) codes.push((await api.get(BASE)).status);
      const report = (await api.get(FAULTS).expect(200)).body;
      expect(report.rules[0].fired).toBe(codes.filter((c) => c === 503).length);
      return codes.join(' ');
    };
    const first = await run(42);
    expect(await run(42)).toBe(first);
    expect(first).toMatch(/503/);
    expect(first).toMatch(/200/);
    expect(await run(43)).not.toBe(first);
  });

  it('adds latency: the request waits, then succeeds, and the log names the rule', async () => {
    const { api } = await startEmulator({ faults: [{ id: 'slow', match: { operation: 'get' }, latency: { fixed: '60ms', jitter: '10ms' } }] });
    await api.post(BASE).send(backend('a')).expect(201);
    await api.get(`${BASE}/a`).expect(200);
    const [rec] = (await api.get('/_emulator/requests?method=GET').expect(200)).body.items;
    expect(rec.faults).toEqual(['slow']);
    expect(rec.durationMs).toBeGreaterThanOrEqual(55); // the rule's fixed part is a floor, whatever the machine
  });
});

describe('cutting a watch', () => {
  it('ends the stream abruptly after N events', async () => {
    const { api, emulator } = await startEmulator({ faults: [{ match: { operation: 'watch' }, watch: { cutAfterEvents: 2 } }] });
    for (const n of ['a', 'b', 'c']) await api.post(BASE).send(backend(n)).expect(201);
    const url = await emulator.listen(0);
    const res = await fetch(`${url}${BASE}?watch=true`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    let error: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined(); // no final chunk: the client sees a broken stream, not a clean end
    const events = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    const list = await fetch(`${url}${BASE}`); // other requests are untouched
    expect(list.status).toBe(200);
  });
});

describe('/_emulator/faults', () => {
  it('is off by default; PUT replaces, POST adds, GET counts, DELETE clears; bad rules are a BadRequest Status', async () => {
    const { api } = await startEmulator({ randomSeed: 9 });
    expect((await api.get(FAULTS).expect(200)).body).toEqual({ seed: 9, rules: [] });
    await api.put(FAULTS).send({ rules: [{ match: { operation: 'get' }, error: { code: 500 } }] }).expect(200);
    const added = (await api.post(FAULTS).send({ id: 'slow-list', match: { operation: 'list' }, latency: { fixed: '1ms' } }).expect(200)).body;
    expect(added.rules.map((r: { id: string }) => r.id)).toEqual(['rule-1', 'slow-list']);
    await api.get(`${BASE}/x`).expect(500);
    expect((await api.get(FAULTS).expect(200)).body.rules[0]).toMatchObject({ id: 'rule-1', matched: 1, fired: 1 });

    const bad = async (body: unknown, message: string) => {
      const res = await api.put(FAULTS).send(body as object).expect(400);
      expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message });
    };
    await bad({ rules: [{ error: { code: 418 } }] }, 'invalid fault rules: rules.0.error.code: must be equal to one of the allowed values');
    await bad({ rules: [{ match: { operation: 'get' } }] }, 'invalid fault rules: rules.0: a rule needs an effect: error, latency or watch');
    await bad({ rules: [{ match: { operation: 'creat' }, error: { code: 500 } }] }, 'invalid fault rules: rule-1: match.operation "creat" is neither a verb (create, get, list, watch, update, patch, delete, deletecollection) nor an operationId of openapi.yaml');
    await bad({ rules: [{ latency: { fixed: 'soon' } }] }, 'invalid fault rules: rule-1: latency.fixed: time: invalid duration "soon"');
    await bad({ rules: [{ match: { labelSelector: 'a in' }, error: { code: 500 } }] }, expect.stringMatching(/^invalid fault rules: rule-1: labelSelector: /) as unknown as string);
    expect((await api.get(FAULTS).expect(200)).body.rules).toHaveLength(2); // a rejected PUT keeps the rules in force
    expect((await api.delete(FAULTS).expect(200)).body.rules).toEqual([]);
    await api.get(`${BASE}/x`).expect(404);
  });

  it('DELETE /_emulator/faults/<id> removes one rule; the others keep their counts', async () => {
    const { api } = await startEmulator();
    await api.put(FAULTS).send({ rules: [{ id: 'a', match: { operation: 'get' }, everyNth: 2, error: { code: 503 } }, { id: 'b', match: { operation: 'list' }, error: { code: 500 } }] }).expect(200);
    await api.get(`${BASE}/x`).expect(404);
    await api.get(`${BASE}/x`).expect(503);
    const left = (await api.delete(`${FAULTS}/b`).expect(200)).body.rules;
    expect(left).toEqual([expect.objectContaining({ id: 'a', matched: 2, fired: 1 })]);
    await api.get(BASE).expect(200);
    await api.get(`${BASE}/x`).expect(404);
    await api.get(`${BASE}/x`).expect(503); // still every 2nd: its counter was kept
    expect((await api.delete(`${FAULTS}/b`).expect(404)).body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'fault rule "b" not found' });
  });
});
