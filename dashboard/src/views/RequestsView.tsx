/**
 * Requests, live: the emulator's request log (`/_emulator/requests`, read again every second for
 * what came after the last id seen), filtered by the server, newest first; the selected request
 * with its bodies (`/_emulator/requests/<id>`). The dashboard's own admin calls are not listed,
 * as the log leaves the admin API out unless asked.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, getJson } from '../api.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { usePoll } from '../poll.js';
import { href } from '../route.js';
import { Store, useStore } from '../store.js';
import { TableHead } from '../components/TableHead.js';
import type { LoggedBody, RequestRecord } from '../../../emulator/http/request-record.js';

interface Filters {
  method: string;
  status: string;
  path: string;
}

/** What the page keeps of the log; newest last. */
const SHOWN = 500;
const log = new Store<{ filters: Filters; items: RequestRecord[]; error?: string }>({ filters: { method: '', status: '', path: '' }, items: [] });

function queryString(r: RequestRecord): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const timeOf = (iso: string) => {
  const d = new Date(iso);
  return `${d.toISOString().slice(11, 23)}`;
};

async function readNew(signal: AbortSignal): Promise<void> {
  const { filters, items } = log.get();
  const q = new URLSearchParams();
  if (filters.method) q.set('method', filters.method);
  if (filters.status) q.set('status', filters.status);
  if (filters.path.trim()) q.set('path', filters.path.trim());
  const after = items.at(-1)?.id;
  if (after !== undefined) q.set('after', String(after));
  try {
    const res = await getJson<{ items: RequestRecord[] }>(`/_emulator/requests?${q}`, signal);
    const current = log.get();
    if (current.filters !== filters) return; // the filters changed meanwhile
    if (res.items.length || current.error) log.set({ filters, items: [...current.items, ...res.items].slice(-SHOWN), error: undefined });
  } catch (e) {
    if (!signal.aborted) log.set({ ...log.get(), error: describeError(e) });
    throw e;
  }
}

function Body({ label, body }: { label: string; body?: LoggedBody }) {
  if (!body) return <p class="muted">{label}: none</p>;
  let shown = body.text ?? '';
  if (body.text !== undefined && !body.truncated && /json/.test(body.contentType ?? '') && !/stream|watch/.test(body.contentType ?? '')) {
    try {
      shown = JSON.stringify(JSON.parse(body.text), null, 2);
    } catch {
      // several JSON documents (a watch stream): as sent
    }
  }
  const headingId = `body-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div class="body">
      <h4 id={headingId}>{label}</h4>
      <p class="muted small">
        {body.contentType ?? 'no Content-Type'}, {body.bytes} bytes{body.truncated ? ' (only the first part is kept)' : ''}
        {body.evicted ? ', no longer kept: newer bodies took its place in the log' : ''}
        {body.base64 !== undefined ? ', not UTF-8: shown as base64' : ''}
      </p>
      <pre class="yaml" tabIndex={0} aria-labelledby={headingId}>
        {body.base64 ?? shown}
      </pre>
    </div>
  );
}

function RequestDetail({ id }: { id: string }) {
  const [record, setRecord] = useState<RequestRecord>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const controller = new AbortController();
    setRecord(undefined);
    setError(undefined);
    getJson<RequestRecord>(`/_emulator/requests/${encodeURIComponent(id)}`, controller.signal).then(setRecord, (e) => !controller.signal.aborted && setError(e));
    return () => controller.abort();
  }, [id]);
  return (
    <section class="panel detail" aria-labelledby="request-heading">
      <h3 id="request-heading">Request {id}</h3>
      <ErrorDetails error={error} title="Not available" />
      {record && (
        <>
          <dl class="facts">
            <dt>Request</dt>
            <dd>
              <code>
                {record.method} {record.path}
                {queryString(record)}
              </code>
            </dd>
            <dt>Status</dt>
            <dd>{record.status}</dd>
            <dt>Time</dt>
            <dd>{record.time}</dd>
            <dt>Duration</dt>
            <dd>{record.durationMs} ms</dd>
            <dt>User agent</dt>
            <dd>{record.userAgent ?? 'none'}</dd>
            <dt>Fault rules fired</dt>
            <dd>{record.faults?.join(', ') || 'none'}</dd>
          </dl>
          <Body label="Request body" body={record.requestBody} />
          <Body label="Response body" body={record.responseBody} />
        </>
      )}
    </section>
  );
}

export function RequestsView({ selected }: { selected?: string }) {
  const state = useStore(log);
  usePoll(readNew, 1000, [state.filters]);
  const setFilter = (change: Partial<Filters>) => log.set({ filters: { ...log.get().filters, ...change }, items: [] });
  const rows = [...state.items].reverse();
  return (
    <section class="view" aria-labelledby="requests-heading">
      <div class="view-head">
        <h2 id="requests-heading">Requests</h2>
        <span class={`live ${state.error ? 'off' : 'on'}`} role="status">
          {state.error ? `Not live: ${state.error}` : `Live: ${state.items.length} shown, newest first`}
        </span>
      </div>
      <form class="filters" role="search" aria-label="Filter requests" onSubmit={(e) => e.preventDefault()}>
        <label>
          Method
          <select value={state.filters.method} onChange={(e) => setFilter({ method: e.currentTarget.value })}>
            <option value="">any</option>
            {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={state.filters.status} onChange={(e) => setFilter({ status: e.currentTarget.value })}>
            <option value="">any</option>
            {['2xx', '3xx', '4xx', '5xx'].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Path starts with
          <input type="search" placeholder="/apis/core.apoxy.dev/v1alpha2/backends" value={state.filters.path} onChange={(e) => setFilter({ path: e.currentTarget.value })} />
        </label>
      </form>
      <div class="split">
        <div class="table-wrap">
          <table aria-labelledby="requests-heading" class="data">
            <TableHead columns={['Time', 'Method', 'Path', 'Status', 'Duration', 'Faults']} />
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} class={[`status-${Math.floor(r.status / 100)}xx`, selected === String(r.id) ? 'selected' : ''].join(' ')}>
                  <td>{timeOf(r.time)}</td>
                  <td>{r.method}</td>
                  <th scope="row" class="path">
                    <a href={href('requests', String(r.id))} aria-current={selected === String(r.id) ? 'true' : undefined}>
                      {r.path}
                      {queryString(r)}
                    </a>
                  </th>
                  <td>{r.status}</td>
                  <td>{r.durationMs} ms</td>
                  <td>{r.faults?.join(', ') ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!rows.length && <p class="empty">No request matches yet. Requests any client makes appear here.</p>}
        </div>
        <div class="side">{selected ? <RequestDetail id={selected} /> : <p class="hint">Select a request to see what was sent and what came back.</p>}</div>
      </div>
    </section>
  );
}
