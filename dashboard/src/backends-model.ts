/**
 * The Backends the dashboard shows, kept current by one list-and-watch for the whole page, with
 * what this session saw happen to each (the resourceVersions it went through and what changed)
 * and a mark on each row that just changed.
 */
import { collectionPath, type Backend, type Version } from './kube.js';
import { diffObjects, type Change } from './object-diff.js';
import { Store } from './store.js';
import { listAndWatch } from './watch.js';

export type ChangeType = 'LISTED' | 'ADDED' | 'MODIFIED' | 'DELETED';

export interface HistoryEntry {
  type: ChangeType;
  resourceVersion: string;
  /** When the dashboard saw it (this browser's clock). */
  seenAt: Date;
  changes: Change[];
}

export interface RowMark {
  type: 'added' | 'modified';
  until: number;
}

export interface BackendsState {
  version: Version;
  labelSelector: string;
  items: ReadonlyMap<string, Backend>;
  marks: ReadonlyMap<string, RowMark>;
  history: ReadonlyMap<string, readonly HistoryEntry[]>;
  /** The first list has arrived. */
  listed: boolean;
  live: boolean;
  error?: string;
  /** The latest change, said aloud by screen readers. */
  announcement: string;
}

/** How long a changed row stays marked. */
export const MARK_MS = 5000;
const HISTORY_PER_OBJECT = 100;

export const backends = new Store<BackendsState>({
  version: 'v1alpha2',
  labelSelector: '',
  items: new Map(),
  marks: new Map(),
  history: new Map(),
  listed: false,
  live: false,
  announcement: '',
});

let running: AbortController | undefined;
let markTimer: ReturnType<typeof setTimeout> | undefined;

function appendHistory(history: Map<string, readonly HistoryEntry[]>, name: string, entry: HistoryEntry): void {
  const list = [...(history.get(name) ?? []), entry];
  history.set(name, list.slice(-HISTORY_PER_OBJECT));
}

/** Drops expired marks, and comes back when the next one expires. */
function scheduleMarkExpiry(): void {
  clearTimeout(markTimer);
  const marks = backends.get().marks;
  if (!marks.size) return;
  const next = Math.min(...[...marks.values()].map((m) => m.until));
  markTimer = setTimeout(() => {
    const now = Date.now();
    const kept = new Map([...backends.get().marks].filter(([, m]) => m.until > now));
    backends.update((s) => ({ ...s, marks: kept }));
    scheduleMarkExpiry();
  }, Math.max(next - Date.now(), 0) + 10);
}

/** One change seen: the row, its mark, its history. */
function record(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: Backend, baseline: boolean): void {
  const name = obj.metadata.name;
  backends.update((s) => {
    const items = new Map(s.items);
    const marks = new Map(s.marks);
    const history = new Map(s.history);
    const before = s.items.get(name);
    if (type === 'DELETED') {
      items.delete(name);
      marks.delete(name);
    } else {
      items.set(name, obj);
      if (!baseline) marks.set(name, { type: before ? 'modified' : 'added', until: Date.now() + MARK_MS });
    }
    const rv = obj.metadata.resourceVersion ?? '';
    const last = history.get(name)?.at(-1);
    if (!(baseline && last?.resourceVersion === rv)) {
      const changes = type === 'DELETED' || baseline || !before ? [] : diffObjects(before, obj);
      appendHistory(history, name, { type: baseline ? 'LISTED' : type, resourceVersion: rv, seenAt: new Date(), changes });
    }
    const announcement = baseline ? s.announcement : `Backend ${name} ${type === 'ADDED' ? 'added' : type === 'MODIFIED' ? 'changed' : 'deleted'}`;
    return { ...s, items, marks, history, announcement };
  });
  scheduleMarkExpiry();
}

/** A list: the baseline on the first one, changes (marked) when it replaces what was there. */
function replaceAll(list: Backend[], first: boolean): void {
  const previous = backends.get().items;
  const now = new Map(list.map((b) => [b.metadata.name, b]));
  for (const [name, old] of previous) if (!now.has(name)) record('DELETED', old, first);
  for (const b of list) {
    const old = backends.get().items.get(b.metadata.name);
    if (!old || old.metadata.resourceVersion !== b.metadata.resourceVersion) record(old ? 'MODIFIED' : 'ADDED', b, first);
  }
  backends.update((s) => ({ ...s, listed: true }));
}

/** (Re)starts the list-and-watch for a version and a label selector. */
export function watchBackends(version: Version, labelSelector: string): void {
  running?.abort();
  const controller = new AbortController();
  running = controller;
  backends.update((s) => ({ ...s, version, labelSelector, items: new Map(), marks: new Map(), listed: false, live: false, error: undefined }));
  const query = new URLSearchParams();
  if (labelSelector.trim()) query.set('labelSelector', labelSelector.trim());
  let lists = 0;
  void listAndWatch<Backend>(
    collectionPath(version),
    query,
    {
      list: (items) => replaceAll(items, lists++ === 0),
      event: (type, obj) => record(type, obj, false),
      state: ({ live, error }) => backends.update((s) => ({ ...s, live, error })),
    },
    controller.signal,
  );
}
