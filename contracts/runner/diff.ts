/**
 * `apoxy-contracts diff`: the same scenarios against two servers, their responses normalized
 * (run ids, uids, timestamps, resourceVersions, continue tokens, generated names replaced by
 * stable placeholders) and compared step by step, JSON path by JSON path.
 */
import { covers, type Divergence } from './divergences.js';
import type { RunReport } from './run.js';
import type { Profile } from './types.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const VOLATILE_KEYS: Record<string, string> = {
  uid: '<uid>',
  resourceVersion: '<resourceVersion>',
  creationTimestamp: '<time>',
  deletionTimestamp: '<time>',
  lastTransitionTime: '<time>',
  time: '<time>',
  continue: '<continue>',
  remainingItemCount: '<count>',
};

export function normalize(v: unknown, runId: string, key?: string): unknown {
  if (key && key in VOLATILE_KEYS && v !== undefined && v !== null && v !== '') return VOLATILE_KEYS[key];
  if (typeof v === 'string') {
    return v
      .split(runId).join('<run>')
      .replace(UUID, '<uid>')
      // generateName suffixes: <run>-s3-gen-abcde
      .replace(/(<run>-s\d+-[a-z0-9-]*?-)[a-z0-9]{5}\b/g, '$1<suffix>')
      .replace(/resourceVersion[^,;)]*?\d+/g, (m) => m.replace(/\d+$/, '<n>'));
  }
  if (Array.isArray(v)) return v.map((x) => normalize(x, runId));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // Table cells: the Age column changes with the clock.
    if (Array.isArray(o.cells)) return { ...normalize({ ...o, cells: undefined }, runId) as object, cells: o.cells.map((c, i) => (i === 3 ? '<age>' : normalize(c, runId))) };
    return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined).map(([k, x]) => [k, normalize(x, runId, k)]));
  }
  return v;
}

export interface Difference {
  scenario: string;
  step: string;
  path: string;
  a: unknown;
  b: unknown;
  known?: string;
}

function walk(a: unknown, b: unknown, path: string, out: Array<{ path: string; a: unknown; b: unknown }>) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const p = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], p, out);
    }
    return;
  }
  out.push({ path: path || '(root)', a, b });
}

function view(report: RunReport) {
  const steps = new Map<string, { status: number; body: unknown }[]>();
  for (const r of report.results) {
    for (const { step, exchange } of r.exchanges) {
      const key = `${r.id}\u0000${step}`;
      const list = steps.get(key) ?? [];
      list.push({ status: exchange.status, body: normalize(exchange.body, report.runId) });
      steps.set(key, list);
    }
  }
  return steps;
}

export function diffReports(a: RunReport, b: RunReport, profile: Profile, divergences: Divergence[]): Difference[] {
  const va = view(a);
  const vb = view(b);
  const out: Difference[] = [];
  for (const key of new Set([...va.keys(), ...vb.keys()])) {
    const [scenario, step] = key.split('\u0000');
    const raw: Array<{ path: string; a: unknown; b: unknown }> = [];
    walk(va.get(key) ?? null, vb.get(key) ?? null, '', raw);
    for (const d of raw) {
      // `[0].body.spec.protocol` → `spec.protocol` for matching divergence entries.
      const path = d.path.replace(/^\[\d+\]\.?/, '').replace(/^body\.?/, '');
      const entry = divergences.find((x) => covers({ ...x, check: undefined }, scenario, profile, { step, path: path || undefined }));
      out.push({ scenario, step, path: d.path, a: d.a, b: d.b, known: entry ? `${entry.observed} (${entry.reason})` : undefined });
    }
  }
  return out;
}

export function diffText(diffs: Difference[], aUrl: string, bUrl: string): string {
  if (!diffs.length) return `No differences between ${aUrl} and ${bUrl}.`;
  const lines = [`Differences (a = ${aUrl}, b = ${bUrl}):`];
  for (const d of diffs) {
    lines.push(`${d.known ? 'known ' : ''}${d.scenario} / ${d.step} / ${d.path}\n    a: ${JSON.stringify(d.a)?.slice(0, 300)}\n    b: ${JSON.stringify(d.b)?.slice(0, 300)}${d.known ? `\n    known: ${d.known}` : ''}`);
  }
  const open = diffs.filter((d) => !d.known).length;
  lines.push(`${open} difference(s), ${diffs.length - open} known`);
  return lines.join('\n');
}
