/**
 * Create and edit by YAML: the manifest is sent as written, as a server-side apply
 * (`application/apply-patch+yaml`, `fieldManager=dashboard`), through the version its apiVersion
 * names. A rejected apply shows the server's Status beside the text, which stays as it was.
 * The editor's text lives outside the view, so switching views loses nothing.
 */
import { ApiError, request } from '../api.js';
import { backends } from '../backends-model.js';
import { ErrorDetails } from '../components/ErrorDetails.js';
import { editableManifest, manifestTarget, NEW_MANIFEST, objectPath, type Backend } from '../kube.js';
import { notify } from '../notices.js';
import { navigate } from '../route.js';
import { Store, useStore } from '../store.js';

export const FIELD_MANAGER = 'dashboard';

interface EditorState {
  open: boolean;
  mode: 'create' | 'edit';
  text: string;
  force: boolean;
  busy: boolean;
  error?: unknown;
}

export const editor = new Store<EditorState>({ open: false, mode: 'create', text: NEW_MANIFEST, force: false, busy: false });

export function openEditor(mode: 'create' | 'edit', b?: Backend): void {
  const s = editor.get();
  // Creating again after a rejected or unfinished create keeps what was typed.
  const text = mode === 'edit' && b ? editableManifest(b) : s.mode === 'create' ? s.text : NEW_MANIFEST;
  editor.set({ open: true, mode, text, force: false, busy: false });
}

async function apply(): Promise<void> {
  const s = editor.get();
  editor.set({ ...s, busy: true, error: undefined });
  try {
    const target = manifestTarget(s.text);
    const q = new URLSearchParams({ fieldManager: FIELD_MANAGER });
    if (s.force) q.set('force', 'true');
    const res = await request('PATCH', `${objectPath(target.version ?? backends.get().version, target.name)}?${q}`, {
      body: s.text,
      contentType: 'application/apply-patch+yaml',
    });
    const created = res.status === 201;
    editor.set({ open: false, mode: 'create', text: NEW_MANIFEST, force: false, busy: false });
    notify(`Backend ${target.name} ${created ? 'created' : 'applied'} (${res.status})`);
    navigate('backends', target.name);
  } catch (e) {
    // Nothing is lost: the text stays, the answer is shown beside it.
    editor.set({ ...editor.get(), busy: false, error: e instanceof ApiError ? e : new Error((e as Error).message) });
  }
}

export function ManifestEditor() {
  const s = useStore(editor);
  const title = s.mode === 'create' ? 'Create a Backend' : 'Edit the Backend';
  return (
    <section class="panel editor" aria-labelledby="editor-heading">
      <h3 id="editor-heading">{title}</h3>
      <p class="hint">
        Sent as a server-side apply with <code>fieldManager={FIELD_MANAGER}</code>: fields you leave out stay as other managers set them.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <label for="manifest">Manifest</label>
        <textarea
          id="manifest"
          class="manifest"
          spellcheck={false}
          rows={18}
          value={s.text}
          aria-invalid={s.error ? 'true' : undefined}
          aria-describedby={s.error ? 'apply-error' : undefined}
          onInput={(e) => editor.set({ ...editor.get(), text: e.currentTarget.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void apply();
            }
          }}
        />
        <label class="check">
          <input type="checkbox" checked={s.force} onChange={(e) => editor.set({ ...editor.get(), force: e.currentTarget.checked })} />
          <span>
            Force: take over fields another manager owns (<code>force=true</code>)
          </span>
        </label>
        <div class="actions">
          <button type="submit" disabled={s.busy}>
            Apply
          </button>
          <button type="button" onClick={() => editor.set({ ...editor.get(), open: false, error: undefined })}>
            Close
          </button>
          <span class="hint">Ctrl+Enter applies</span>
        </div>
      </form>
      <div id="apply-error">
        <ErrorDetails error={s.error} title="The apply was rejected" />
      </div>
    </section>
  );
}
