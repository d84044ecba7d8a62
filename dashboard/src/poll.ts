/** Reading an admin endpoint again and again while a view is open (the admin API has no watch). */
import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `read` now and then `ms` after each call ends (never two at once), until the component
 * unmounts or `deps` change.
 */
export function usePoll(read: (signal: AbortSignal) => Promise<void>, ms: number, deps: unknown[]): void {
  const latest = useRef(read);
  latest.current = read;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        await latest.current(controller.signal);
      } catch {
        // the view shows its own error; keep polling
      }
      if (!controller.signal.aborted) timer = setTimeout(run, ms);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
