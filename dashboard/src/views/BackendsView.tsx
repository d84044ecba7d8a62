/**
 * Backends, live: the table follows the page's watch (rows appear, change and disappear as any
 * client writes), filtered by name here and by label selector on the server; beside it the
 * selected Backend or the manifest editor.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { backends, watchBackends } from '../backends-model.js';
import { emulatorNow, useTick } from '../clock.js';
import { endpointsCell, labelsText, readyCondition, VERSIONS, type Backend, type Version } from '../kube.js';
import { href } from '../route.js';
import { useStore } from '../store.js';
import { shortHumanDuration } from '../../../emulator/machinery/human-duration.js';
import { BackendDetail } from './BackendDetail.js';
import { editor, ManifestEditor, openEditor } from './ManifestEditor.js';
import { TableHead } from '../components/TableHead.js';

function age(b: Backend): string {
  const created = b.metadata.creationTimestamp;
  return created ? shortHumanDuration(emulatorNow() - Date.parse(created)) : '<unknown>';
}

function ReadyCell({ b }: { b: Backend }) {
  const c = readyCondition(b);
  if (!c) return <span class="muted">None</span>;
  return (
    <span class={`ready ready-${c.status.toLowerCase()}`} title={[c.reason, c.message].filter(Boolean).join(': ')}>
      {c.status}
      {c.reason ? ` (${c.reason})` : ''}
    </span>
  );
}

export function BackendsView({ selected }: { selected?: string }) {
  const state = useStore(backends);
  const edit = useStore(editor);
  useTick(1000);
  const [nameFilter, setNameFilter] = useState('');
  const [selector, setSelector] = useState(state.labelSelector);

  // The label selector goes to the server (list and watch), once typing pauses.
  useEffect(() => {
    if (selector === backends.get().labelSelector) return;
    const t = setTimeout(() => watchBackends(backends.get().version, selector), 400);
    return () => clearTimeout(t);
  }, [selector]);

  // Picking a Backend shows it (also the one already selected, from the editor); the editor's
  // text waits in its store for the next Create.
  const closeEditor = () => editor.get().open && editor.set({ ...editor.get(), open: false });
  const shownSelection = useRef(selected);
  useEffect(() => {
    if (shownSelection.current !== selected) closeEditor();
    shownSelection.current = selected;
  }, [selected]);

  const rows = [...state.items.values()].filter((b) => b.metadata.name.includes(nameFilter.trim())).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const now = Date.now();

  return (
    <section class="view" aria-labelledby="backends-heading">
      <div class="view-head">
        <h2 id="backends-heading">Backends</h2>
        <span class={`live ${state.live ? 'on' : 'off'}`} role="status">
          {state.live ? `Live: watching ${state.items.size} object${state.items.size === 1 ? '' : 's'}` : state.error ? `Not live: ${state.error}` : 'Connecting…'}
        </span>
        <button type="button" onClick={() => openEditor('create')}>
          Create
        </button>
      </div>
      <form class="filters" role="search" aria-label="Filter Backends" onSubmit={(e) => (e.preventDefault(), watchBackends(state.version, selector))}>
        <label>
          Name contains
          <input type="search" value={nameFilter} onInput={(e) => setNameFilter(e.currentTarget.value)} />
        </label>
        <label>
          Label selector
          <input type="search" placeholder="tier=edge,env!=prod" value={selector} onInput={(e) => setSelector(e.currentTarget.value)} />
        </label>
        <label>
          API version
          <select value={state.version} onChange={(e) => watchBackends(e.currentTarget.value as Version, selector)}>
            {VERSIONS.map((v) => (
              <option value={v} key={v}>
                core.apoxy.dev/{v}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p class="visually-hidden" aria-live="polite">
        {state.announcement}
      </p>
      <div class="split">
        <div class="table-wrap">
          <table aria-labelledby="backends-heading" class="data">
            <TableHead columns={['Name', 'Endpoints', 'Protocol', 'Age', 'Labels', 'Ready', 'Resource version']} />
            <tbody>
              {rows.map((b) => {
                const name = b.metadata.name;
                const mark = state.marks.get(name);
                const marked = mark && mark.until > now ? mark.type : undefined;
                return (
                  <tr key={name} class={[marked ? `mark-${marked}` : '', selected === name ? 'selected' : ''].join(' ')}>
                    <th scope="row">
                      <a href={href('backends', name)} aria-current={selected === name ? 'true' : undefined} onClick={closeEditor}>
                        {name}
                      </a>
                      {b.metadata.deletionTimestamp && (
                        <>
                          {' '}
                          <span class="badge terminating">terminating</span>
                        </>
                      )}
                      {marked && (
                        <>
                          {' '}
                          <span class={`badge ${marked}`}>{marked === 'added' ? 'new' : 'changed'}</span>
                        </>
                      )}
                    </th>
                    <td>{endpointsCell(b)}</td>
                    <td>{b.spec?.protocol || ''}</td>
                    <td>{age(b)}</td>
                    <td class="labels">{labelsText(b.metadata.labels)}</td>
                    <td>
                      <ReadyCell b={b} />
                    </td>
                    <td>{b.metadata.resourceVersion}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {state.listed && !rows.length && <p class="empty">{state.items.size ? 'No Backend matches the filters.' : 'No Backends yet. Create one, or write one with any client: it appears here.'}</p>}
        </div>
        <div class="side">
          {edit.open ? (
            <ManifestEditor />
          ) : selected ? (
            <BackendDetail name={selected} />
          ) : (
            <p class="hint">Select a Backend to see its YAML, managed fields, conditions and history in this session.</p>
          )}
        </div>
      </div>
    </section>
  );
}
