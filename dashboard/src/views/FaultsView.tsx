/**
 * Fault rules and the clock. Rules are written as the admin API takes them (JSON or YAML: one
 * rule, a list, or {seed, rules}), sent as JSON to `POST /_emulator/faults` and judged there, by
 * the same validation as `--faults` files; the table is read again every second for the counts.
 */
import { useState } from 'preact/hooks';
import { parse as parseYaml } from 'yaml';
import { ApiError, describeError, getJson, request, sendJson } from '../api.js';
import { clock, refreshClock, type ClockState } from '../clock.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { notify } from '../notices.js';
import { usePoll } from '../poll.js';
import { Store, useStore } from '../store.js';
import { TableHead } from '../components/TableHead.js';

interface FaultRule {
  id: string;
  match?: { operation?: string | string[]; name?: string; labelSelector?: string };
  probability?: number;
  everyNth?: number;
  times?: number;
  error?: { code: number; message?: string; retryAfterSeconds?: number };
  latency?: { fixed?: string; jitter?: string };
  watch?: { cutAfterEvents: number };
  matched: number;
  fired: number;
}

interface FaultReport {
  seed: number | string;
  rules: FaultRule[];
}

const EXAMPLE = `# One rule, a list of rules, or {seed, rules}; JSON works too.
id: throttle-creates
match: { operation: create }
times: 1
error: { code: 429, retryAfterSeconds: 1 }
`;

const faults = new Store<{ report?: FaultReport; error?: string; draft: string; addError?: unknown }>({ draft: EXAMPLE });

async function readFaults(signal: AbortSignal): Promise<void> {
  try {
    const report = await getJson<FaultReport>('/_emulator/faults', signal);
    faults.set({ ...faults.get(), report, error: undefined });
  } catch (e) {
    if (!signal.aborted) faults.set({ ...faults.get(), error: describeError(e) });
    throw e;
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function describeMatch(r: FaultRule): string {
  const m = r.match ?? {};
  const parts = Object.entries(m).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : text(v)}`);
  return parts.length ? parts.join(', ') : 'every request';
}

function describeEffect(r: FaultRule): string {
  const parts: string[] = [];
  if (r.error) parts.push(`error ${r.error.code}${r.error.retryAfterSeconds !== undefined ? ` (Retry-After ${r.error.retryAfterSeconds}s)` : ''}${r.error.message ? `: ${r.error.message}` : ''}`);
  if (r.latency) parts.push(`latency ${r.latency.fixed ?? '0s'}${r.latency.jitter ? ` + up to ${r.latency.jitter}` : ''}`);
  if (r.watch) parts.push(`cut watches after ${r.watch.cutAfterEvents} events`);
  return parts.join('; ');
}

function describeWhen(r: FaultRule): string {
  const parts: string[] = [];
  if (r.probability !== undefined) parts.push(`probability ${r.probability}`);
  if (r.everyNth !== undefined) parts.push(`every ${r.everyNth}th`);
  if (r.times !== undefined) parts.push(`at most ${r.times} time${r.times === 1 ? '' : 's'}`);
  return parts.join(', ') || 'always';
}

async function addRule(): Promise<void> {
  const s = faults.get();
  faults.set({ ...s, addError: undefined });
  let value: unknown;
  try {
    value = parseYaml(s.draft); // YAML is a superset of JSON
  } catch (e) {
    faults.set({ ...faults.get(), addError: new Error(`not YAML or JSON: ${(e as Error).message}`) });
    return;
  }
  try {
    const report = await sendJson<FaultReport>('POST', '/_emulator/faults', value ?? {});
    faults.set({ ...faults.get(), report, addError: undefined });
    notify(`Fault rules in force: ${report.rules.length}`);
  } catch (e) {
    faults.set({ ...faults.get(), addError: e instanceof ApiError ? e : new Error(describeError(e)) });
  }
}

async function removeRule(id: string): Promise<void> {
  try {
    const res = await request('DELETE', `/_emulator/faults/${encodeURIComponent(id)}`);
    faults.set({ ...faults.get(), report: (await res.json()) as FaultReport });
    notify(`Fault rule ${id} removed`);
  } catch (e) {
    faults.set({ ...faults.get(), error: describeError(e) });
  }
}

function ClockPanel() {
  const { state } = useStore(clock);
  const [advance, setAdvance] = useState('1h');
  const [setTo, setSetTo] = useState('');
  const [error, setError] = useState<unknown>();
  usePoll(() => refreshClock(), 1000, []);
  const post = async (body: { advance: string } | { set: string }) => {
    setError(undefined);
    try {
      const next = await sendJson<ClockState>('POST', '/_emulator/clock', body);
      clock.set({ state: next, readAt: Date.now() });
      notify(`Clock now ${next.now}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="panel" aria-labelledby="clock-heading">
      <h3 id="clock-heading">Clock</h3>
      <p>
        The emulator's time: <strong>{state?.now ?? '…'}</strong> {state ? (state.fixed ? '(fixed)' : '(running)') : ''}
      </p>
      <form class="inline" onSubmit={(e) => (e.preventDefault(), void post({ advance }))}>
        <label>
          Advance by (Go duration)
          <input value={advance} onInput={(e) => setAdvance(e.currentTarget.value)} placeholder="5m" required />
        </label>
        <button type="submit">Advance</button>
      </form>
      <form class="inline" onSubmit={(e) => (e.preventDefault(), void post({ set: setTo }))}>
        <label>
          Set to (RFC 3339)
          <input value={setTo} onInput={(e) => setSetTo(e.currentTarget.value)} placeholder="2026-01-01T00:00:00Z" required />
        </label>
        <button type="submit">Set</button>
      </form>
      <ErrorDetails error={error} title="The clock was not changed" />
    </section>
  );
}

export function FaultsView() {
  const s = useStore(faults);
  usePoll(readFaults, 1000, []);
  const rules = s.report?.rules ?? [];
  return (
    <section class="view" aria-labelledby="faults-heading">
      <div class="view-head">
        <h2 id="faults-heading">Faults and clock</h2>
        {s.error && (
          <span class="live off" role="status">
            Not live: {s.error}
          </span>
        )}
      </div>
      <div class="split even">
        <div>
          <section class="panel" aria-labelledby="rules-heading">
            <h3 id="rules-heading">Fault rules in force</h3>
            <p class="muted small">Seed {s.report ? text(s.report.seed) : '…'}. Counts are read every second.</p>
            <table class="data" aria-label="Fault rules">
              <TableHead columns={['Rule', 'Matches', 'Effect', 'When', 'Matched', 'Fired', <span class="visually-hidden">Actions</span>]} />
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.id}</th>
                    <td>{describeMatch(r)}</td>
                    <td>{describeEffect(r)}</td>
                    <td>{describeWhen(r)}</td>
                    <td>{r.matched}</td>
                    <td>{r.fired}</td>
                    <td>
                      <button type="button" aria-label={`Remove rule ${r.id}`} onClick={() => void removeRule(r.id)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.report && !rules.length && <p class="empty">No fault rules: every request is answered normally.</p>}
          </section>
          <ClockPanel />
        </div>
        <section class="panel" aria-labelledby="add-rule-heading">
          <h3 id="add-rule-heading">Add a rule</h3>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void addRule();
            }}
          >
            <label for="fault-rule">Fault rule (YAML or JSON)</label>
            <textarea id="fault-rule" class="manifest" rows={10} spellcheck={false} value={s.draft} onInput={(e) => faults.set({ ...faults.get(), draft: e.currentTarget.value })} />
            <div class="actions">
              <button type="submit">Add rule</button>
            </div>
          </form>
          <ErrorDetails error={s.addError} title="The rule was rejected" />
          <p class="hint">
            <code>match</code>: operation (a verb such as create, get, list, watch, update, patch, delete, or an operationId), name, labelSelector. Effects: <code>error</code> (409, 429,
            500, 503, 504), <code>latency</code>, <code>watch.cutAfterEvents</code>; limits: probability, everyNth, times.
          </p>
        </section>
      </div>
    </section>
  );
}
