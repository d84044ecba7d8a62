/**
 * The whole state: reset, seed (pasted or uploaded manifests), snapshot download and restore,
 * through the admin API. Each of these replaces or removes objects, so each asks first.
 */
import { useState } from 'preact/hooks';
import { request, sendJson } from '../api.js';
import { backends } from '../backends-model.js';
import { confirmAction } from '../components/ConfirmDialog.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { notify } from '../notices.js';
import { Store, useStore } from '../store.js';
import { TableHead } from '../components/TableHead.js';

interface SeedReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  results: { name: string; kind: string; outcome: string; status?: { message?: string; reason?: string } }[];
  resourceVersion: string;
}

const draft = new Store<string>('');

function count(n: number, what: string) {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function SeedResults({ report }: { report: SeedReport }) {
  return (
    <div>
      <p role="status">
        Seeded: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, {report.failed} failed.
      </p>
      <table class="data compact" aria-label="Seed results">
        <TableHead columns={['Object', 'Outcome', 'Message']} />
        <tbody>
          {report.results.map((r, i) => (
            <tr key={i} class={r.outcome === 'failed' ? 'status-4xx' : ''}>
              <th scope="row">
                {r.kind} {r.name}
              </th>
              <td>{r.outcome}</td>
              <td>{r.status?.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StateView() {
  const text = useStore(draft);
  const [error, setError] = useState<unknown>();
  const [seeded, setSeeded] = useState<SeedReport>();
  const objects = backends.get().items.size;

  const act = async (fn: () => Promise<void>) => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  };

  const reset = () =>
    act(async () => {
      if (!(await confirmAction('Reset the emulator?', 'Every object is deleted and the request log is emptied. The resourceVersion keeps rising.', 'Reset'))) return;
      const r = await sendJson<{ resourceVersion: string }>('POST', '/_emulator/reset');
      notify(`Reset: the store is empty (resourceVersion ${r.resourceVersion})`);
    });

  const seed = () =>
    act(async () => {
      if (!text.trim()) throw new Error('paste manifests or choose a file first');
      if (!(await confirmAction('Seed these manifests?', 'Objects with the same names are replaced by the manifests, as kubectl apply -f would.', 'Seed'))) return;
      const res = await request('POST', '/_emulator/seed', { body: text, contentType: 'application/yaml' });
      const report = (await res.json()) as SeedReport;
      setSeeded(report);
      notify(`Seeded: ${report.created} created, ${report.updated} updated, ${report.failed} failed`);
    });

  const download = () =>
    act(async () => {
      const res = await request('GET', '/_emulator/snapshot');
      const blob = await res.blob();
      const snapshot = JSON.parse(await blob.text()) as { resourceVersion: number };
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `apoxy-emulator-snapshot-rv${snapshot.resourceVersion}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      notify(`Snapshot downloaded (${a.download})`);
    });

  const restore = (file: File) =>
    act(async () => {
      if (!(await confirmAction(`Restore ${file.name}?`, `The whole state is replaced by the snapshot: the ${count(objects, 'Backend')} there now are gone.`, 'Restore'))) return;
      const r = await request('PUT', '/_emulator/snapshot', { body: await file.text(), contentType: 'application/json' });
      const body = (await r.json()) as { resourceVersion: string };
      notify(`Restored ${file.name} (resourceVersion ${body.resourceVersion})`);
    });

  return (
    <section class="view" aria-labelledby="state-heading">
      <div class="view-head">
        <h2 id="state-heading">State</h2>
      </div>
      <ErrorDetails error={error} title="Not done" />
      <div class="split even">
        <div>
          <section class="panel" aria-labelledby="reset-heading">
            <h3 id="reset-heading">Reset</h3>
            <p>Deletes every object and empties the request log.</p>
            <button type="button" class="danger" onClick={() => void reset()}>
              Reset…
            </button>
          </section>
          <section class="panel" aria-labelledby="snapshot-heading">
            <h3 id="snapshot-heading">Snapshot</h3>
            <p>The whole state as JSON: keep it, and restore it later or in another emulator.</p>
            <div class="actions">
              <button type="button" onClick={() => void download()}>
                Download snapshot
              </button>
              <label class="file">
                Restore from a snapshot file…
                <input
                  type="file"
                  accept=".json,application/json"
                  onChange={(e) => {
                    const f = e.currentTarget.files?.[0];
                    e.currentTarget.value = '';
                    if (f) void restore(f);
                  }}
                />
              </label>
            </div>
          </section>
        </div>
        <section class="panel" aria-labelledby="seed-heading">
          <h3 id="seed-heading">Seed</h3>
          <p>Manifests (YAML or JSON, several documents, Lists), as the admin API and <code>--seed</code> take them.</p>
          <label for="seed-manifests">Manifests to seed</label>
          <textarea id="seed-manifests" class="manifest" rows={12} spellcheck={false} value={text} onInput={(e) => draft.set(e.currentTarget.value)} />
          <div class="actions">
            <label class="file">
              Load a file…
              <input
                type="file"
                accept=".yaml,.yml,.json"
                onChange={async (e) => {
                  const f = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  if (f) draft.set(await f.text());
                }}
              />
            </label>
            <button type="button" onClick={() => void seed()}>
              Seed…
            </button>
          </div>
          {seeded && <SeedResults report={seeded} />}
        </section>
      </div>
    </section>
  );
}
