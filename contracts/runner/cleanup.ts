/**
 * Deleting what a run created: finalizers patched away first (they would keep an object
 * forever), then Delete All with the run's label selector, then each remembered name the
 * selector could miss (a scenario may have changed its labels), then a last look to prove
 * nothing is left. Only names with the run's prefix are ever touched.
 */
import { send, type Target } from './client.js';
import { selectorFor, type Scope } from './safety.js';

export interface CleanupReport {
  deleted: number;
  /** Names still there afterwards (should be empty). */
  remaining: string[];
  errors: string[];
}

interface Item {
  metadata: { name: string; finalizers?: string[] };
}

/** Cleans one collection (a resource's, in any version it is served in: they hold the same objects). */
export async function cleanup(t: Target, collection: string, scope: Scope, names: string[], timeoutMs: number): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: 0, remaining: [], errors: [] };
  const sel = encodeURIComponent(selectorFor(scope));
  const prefix = `${scope.runId}-`;
  const json = { accept: 'application/json' };
  const call = async (method: string, path: string, body?: unknown, contentType?: string) => {
    try {
      const headers: Record<string, string> = { ...json, ...(contentType ? { 'content-type': contentType } : {}) };
      const r = await send(t, method, `${t.base}${path}`, headers, body === undefined ? undefined : JSON.stringify(body), timeoutMs);
      return { status: r.status, body: r.text ? (JSON.parse(r.text) as unknown) : undefined };
    } catch (e) {
      report.errors.push(`${method} ${path}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const list = async () => {
    const r = await call('GET', `${collection}?labelSelector=${sel}`);
    return r?.status === 200 ? ((r.body as { items?: Item[] }).items ?? []) : [];
  };
  const labelled = await list();
  const inList = new Set(labelled.map((i) => i.metadata.name));
  // Remembered names the selector did not find: a scenario may have changed their labels.
  const unlabelled: Item[] = [];
  for (const name of new Set(names.filter((n) => n.startsWith(prefix) && !inList.has(n)))) {
    const got = await call('GET', `${collection}/${encodeURIComponent(name)}`);
    if (got?.status === 200) unlabelled.push(got.body as Item);
  }
  // Finalizers first: they would keep an object forever.
  for (const item of [...labelled, ...unlabelled]) {
    if (item.metadata.finalizers?.length) {
      await call('PATCH', `${collection}/${encodeURIComponent(item.metadata.name)}`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    }
  }
  if (labelled.length) {
    const all = await call('DELETE', `${collection}?labelSelector=${sel}`);
    if (all?.status === 200) report.deleted += ((all.body as { items?: Item[] }).items ?? []).length;
  }
  for (const item of unlabelled) {
    const r = await call('DELETE', `${collection}/${encodeURIComponent(item.metadata.name)}`);
    if (r?.status === 200) report.deleted++;
  }
  // Proof that nothing is left.
  const left = new Set(labelled.length ? (await list()).map((i) => i.metadata.name) : []);
  for (const item of unlabelled) {
    const r = await call('GET', `${collection}/${encodeURIComponent(item.metadata.name)}`);
    if (r?.status === 200) left.add(item.metadata.name);
  }
  report.remaining = [...left];
  return report;
}
