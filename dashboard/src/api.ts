/**
 * Every request the dashboard makes goes through here: same origin, standard methods and
 * headers, JSON or YAML bodies, the API key (when the emulator asks for one) as a bearer token.
 * Only the public admin API (/_emulator/) and the Kubernetes API (/apis/) are used, so what the
 * page shows is what any client would see.
 */
import { Store } from './store.js';

/** A Kubernetes `Status`, as the emulator answers every rejection. */
export interface StatusBody {
  kind: 'Status';
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

/** A request the server refused: its HTTP status and, when it sent one, its Status body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: StatusBody | undefined,
    message: string,
  ) {
    super(message);
  }
}

const KEY_ITEM = 'apoxy-emulator-api-key';

/**
 * The API key: asked for once, when a request is answered 401, and kept for this tab's session
 * (sessionStorage: a reload keeps it, closing the tab forgets it).
 */
export const auth = new Store<{ key: string | undefined; needed: boolean; refused: boolean }>({
  key: sessionStorage.getItem(KEY_ITEM) ?? undefined,
  needed: false,
  refused: false,
});

export function setApiKey(key: string): void {
  sessionStorage.setItem(KEY_ITEM, key);
  auth.set({ key, needed: false, refused: false });
}

/** Resolves once a key has been given after a 401. */
function keyGiven(): Promise<void> {
  return new Promise((resolve) => {
    const stop = auth.subscribe((s) => {
      if (!s.needed) {
        stop();
        resolve();
      }
    });
  });
}

export interface RequestOptions {
  body?: string | Blob;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

function isStatus(v: unknown): v is StatusBody {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'Status';
}

/**
 * fetch() against the emulator. A 401 asks for the key and tries again with it; any other
 * failure throws an ApiError carrying the server's Status.
 */
export async function request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  for (;;) {
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
    if (opts.contentType) headers['Content-Type'] = opts.contentType;
    const key = auth.get().key;
    if (key) headers.Authorization = `Bearer ${key}`;
    const res = await fetch(path, { method, headers, body: opts.body, signal: opts.signal, cache: 'no-store', credentials: 'same-origin' });
    if (res.status === 401) {
      auth.set({ key: undefined, needed: true, refused: !!key });
      sessionStorage.removeItem(KEY_ITEM);
      await keyGiven();
      continue;
    }
    if (res.ok) return res;
    const text = await res.text();
    let status: StatusBody | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isStatus(parsed)) status = parsed;
    } catch {
      // not JSON: the text is the message
    }
    throw new ApiError(res.status, status, status?.message ?? (text.trim() || `${res.status} ${res.statusText}`));
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request('GET', path, { signal })).json() as Promise<T>;
}

export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' });
  return res.json() as Promise<T>;
}

/** A one-line description of any error, for places that have no room for causes. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.status?.reason ? `${e.code} ${e.status.reason}: ${e.message}` : `${e.code}: ${e.message}`;
  return (e as Error)?.message ?? String(e);
}
