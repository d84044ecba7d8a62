/**
 * With `--api-key`, the emulator answers 401 until the key comes along: the page asks for it
 * once (a modal form), then sends it as a bearer token on every request.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { auth, setApiKey } from '../api.js';
import { useStore } from '../store.js';

export function KeyDialog() {
  const { needed, refused } = useStore(auth);
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState('');
  useEffect(() => {
    if (needed && ref.current && !ref.current.open) ref.current.showModal();
    if (!needed && ref.current?.open) ref.current.close();
  }, [needed]);
  if (!needed) return null;
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="key-title" onCancel={(e) => e.preventDefault()}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value) setApiKey(value);
        }}
      >
        <h2 id="key-title">API key</h2>
        <p>This emulator was started with <code>--api-key</code>. The dashboard sends the key as a bearer token and keeps it until this tab is closed.</p>
        {refused && (
          <p class="error" role="alert">
            The emulator refused that key (401 Unauthorized).
          </p>
        )}
        <label>
          Key
          <input type="password" autocomplete="off" required value={value} onInput={(e) => setValue(e.currentTarget.value)} autofocus />
        </label>
        <div class="actions">
          <button type="submit">Use key</button>
        </div>
      </form>
    </dialog>
  );
}
