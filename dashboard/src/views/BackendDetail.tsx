/**
 * One Backend: its status conditions, who owns which field (managedFields), what this session saw
 * happen to it, and its YAML as `kubectl get -o yaml` prints it; Edit and Delete (asked first).
 */
import { useState } from 'preact/hooks';
import { request } from '../api.js';
import { backends, type HistoryEntry } from '../backends-model.js';
import { confirmAction } from '../components/ConfirmDialog.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { objectPath, toKubectlYaml, type Backend } from '../kube.js';
import { ownedFields } from '../managed-fields.js';
import { notify } from '../notices.js';
import { describeChange } from '../object-diff.js';
import { useStore } from '../store.js';
import { openEditor } from './ManifestEditor.js';
import { TableHead } from '../components/TableHead.js';

function Conditions({ b }: { b: Backend }) {
  const conditions = b.status?.conditions ?? [];
  if (!conditions.length) return <p class="muted">No status conditions.</p>;
  return (
    <table class="data compact" aria-label="Conditions">
      <TableHead columns={['Type', 'Status', 'Reason', 'Message', 'Last transition']} />
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type}>
            <th scope="row">{c.type}</th>
            <td>{c.status}</td>
            <td>{c.reason ?? ''}</td>
            <td>{c.message ?? ''}</td>
            <td>{c.lastTransitionTime ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ManagedFields({ b }: { b: Backend }) {
  const entries = b.metadata.managedFields ?? [];
  if (!entries.length) return <p class="muted">No managed fields.</p>;
  return (
    <table class="data compact" aria-label="Managed fields">
      <TableHead columns={['Manager', 'Operation', 'Fields it owns']} />
      <tbody>
        {entries.map((m, i) => (
          <tr key={i}>
            <th scope="row">{m.manager ?? '(none)'}</th>
            <td>
              {m.operation}
              {m.subresource ? ` /${m.subresource}` : ''}
              <div class="muted small">
                {m.apiVersion}
                <br />
                {m.time}
              </div>
            </td>
            <td>
              <ul class="fields">
                {ownedFields(m.fieldsV1).map((f) => (
                  <li key={f}>
                    <code>{f}</code>
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function History({ entries }: { entries: readonly HistoryEntry[] }) {
  if (!entries.length) return <p class="muted">Nothing seen yet.</p>;
  return (
    <ol class="history" aria-label="History in this session" reversed>
      {[...entries].reverse().map((e, i) => (
        <li key={i}>
          <span class={`event event-${e.type.toLowerCase()}`}>{e.type}</span> at resourceVersion <strong>{e.resourceVersion}</strong>{' '}
          <span class="muted small">({e.seenAt.toLocaleTimeString()})</span>
          {e.changes.length > 0 && (
            <ul>
              {e.changes.map((c) => (
                <li key={c.path}>
                  <code>{describeChange(c)}</code>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

export function BackendDetail({ name }: { name: string }) {
  const state = useStore(backends);
  const [error, setError] = useState<unknown>();
  const b = state.items.get(name);
  const history = state.history.get(name) ?? [];

  const remove = async () => {
    setError(undefined);
    if (!(await confirmAction(`Delete Backend ${name}?`, `The Backend ${name} is deleted for every client of this emulator.`, 'Delete'))) return;
    try {
      const res = await request('DELETE', objectPath(state.version, name));
      const body = (await res.json()) as { kind?: string; metadata?: { finalizers?: string[] } };
      const waiting = body.kind === 'Backend' && body.metadata?.finalizers?.length;
      notify(waiting ? `Deletion of ${name} requested: waiting for finalizers ${body.metadata!.finalizers!.join(', ')}` : `Backend ${name} deleted`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="panel detail" aria-labelledby="detail-heading">
      <div class="view-head">
        <h3 id="detail-heading">Backend {name}</h3>
        {b && (
          <>
            <button type="button" onClick={() => openEditor('edit', b)}>
              Edit
            </button>
            <button type="button" class="danger" onClick={() => void remove()}>
              Delete
            </button>
          </>
        )}
      </div>
      <ErrorDetails error={error} title="The delete was rejected" />
      {!b && <p class="muted">{state.listed ? `There is no Backend ${name} now${state.labelSelector ? ' (or it does not match the label selector)' : ''}.` : 'Loading…'}</p>}
      {b && (
        <>
          <h4>Conditions</h4>
          <Conditions b={b} />
          <h4>Managed fields</h4>
          <ManagedFields b={b} />
        </>
      )}
      <h4>History in this session</h4>
      <History entries={history} />
      {b && (
        <>
          <h4 id="yaml-heading">YAML</h4>
          <pre class="yaml" tabIndex={0} aria-labelledby="yaml-heading">
            {toKubectlYaml(b)}
          </pre>
        </>
      )}
    </section>
  );
}
