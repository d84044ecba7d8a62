/**
 * List, then watch from the list's resourceVersion, as client-go's reflector does: the stream is
 * read line by line (one WatchEvent per line); when it ends (its timeout, a fault rule that cuts
 * it) the watch resumes from the last resourceVersion seen; `410 Expired` or a broken connection
 * start over with a fresh list.
 */
import { ApiError, describeError, getJson, request } from './api.js';

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface ListWatchHandlers<T> {
  /** A fresh list: the whole current state. */
  list(items: T[], resourceVersion: string): void;
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void;
  /** `live` once the watch is open; an error message while it retries. */
  state(state: { live: boolean; error?: string }): void;
}

interface Listed<T> {
  metadata: { resourceVersion: string };
  items: T[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Runs until `signal` aborts. `query` holds the selectors (labelSelector, ...). */
export async function listAndWatch<T extends { metadata: { resourceVersion?: string } }>(
  collection: string,
  query: URLSearchParams,
  handlers: ListWatchHandlers<T>,
  signal: AbortSignal,
): Promise<void> {
  let backoff = 250;
  while (!signal.aborted) {
    try {
      const list = await getJson<Listed<T>>(`${collection}?${query}`, signal);
      handlers.list(list.items, list.metadata.resourceVersion);
      let rv = list.metadata.resourceVersion;
      // Resume after each end of stream; only a 410 or a failure goes back to listing.
      for (;;) {
        const q = new URLSearchParams(query);
        q.set('watch', 'true');
        q.set('resourceVersion', rv);
        q.set('allowWatchBookmarks', 'true');
        const res = await request('GET', `${collection}?${q}`, { signal });
        handlers.state({ live: true });
        backoff = 250;
        const outcome = await readEvents<T>(res, signal, (e) => {
          if (e.object?.metadata?.resourceVersion) rv = e.object.metadata.resourceVersion;
          if (e.type !== 'BOOKMARK') handlers.event(e.type as 'ADDED' | 'MODIFIED' | 'DELETED', e.object);
        });
        if (outcome === 'expired') break;
        if (signal.aborted) return;
      }
    } catch (e) {
      if (signal.aborted) return;
      handlers.state({ live: false, error: describeError(e) });
      // A request the server judged wrong (a bad selector) stays wrong: wait for new input.
      if (e instanceof ApiError && e.code >= 400 && e.code < 500 && e.code !== 429) return;
      backoff = Math.min(backoff * 2, 5000);
      await sleep(backoff, signal);
    }
  }
}

/** Reads newline-delimited events until the stream ends; an ERROR event with 410 says "list again". */
async function readEvents<T>(res: Response, signal: AbortSignal, onEvent: (e: WatchEvent<T>) => void): Promise<'ended' | 'expired'> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      buffered += value;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        const e = JSON.parse(line) as WatchEvent<T>;
        if (e.type === 'ERROR') {
          const status = e.object as unknown as { code?: number; message?: string };
          if (status.code === 410) return 'expired';
          throw new ApiError(status.code ?? 500, undefined, status.message ?? 'watch error');
        }
        onEvent(e);
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
