/**
 * Asking before anything destroys state (delete, reset, seed, restore): a modal <dialog>
 * (focus moves into it, Escape cancels), answered through a promise.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Store, useStore } from '../store.js';

interface Question {
  title: string;
  message: string;
  confirmLabel: string;
  resolve: (yes: boolean) => void;
}

const pending = new Store<Question | undefined>(undefined);

/** Resolves true when the person confirms, false when they cancel. */
export function confirmAction(title: string, message: string, confirmLabel: string): Promise<boolean> {
  pending.get()?.resolve(false);
  return new Promise((resolve) => pending.set({ title, message, confirmLabel, resolve }));
}

export function ConfirmHost() {
  const q = useStore(pending);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (q && ref.current && !ref.current.open) ref.current.showModal();
  }, [q]);
  if (!q) return null;
  const answer = (yes: boolean) => {
    ref.current?.close();
    pending.set(undefined);
    q.resolve(yes);
  };
  return (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-message" onCancel={(e) => (e.preventDefault(), answer(false))}>
      <h2 id="confirm-title">{q.title}</h2>
      <p id="confirm-message">{q.message}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={() => answer(true)}>
          {q.confirmLabel}
        </button>
        <button type="button" autofocus onClick={() => answer(false)}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
