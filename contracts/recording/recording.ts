/**
 * A recording: per scenario, every request the suite sent and the response it got, normalized
 * (normalize.ts); plus a manifest saying when, against what and under which profile. Written as
 * pretty JSON (two-space indent, keys in the order the server wrote them), one file per
 * scenario, so that recording two fresh emulators gives byte-identical scenario files and a
 * recording can be committed and reviewed. JSON rather than YAML: a whole recording is read or
 * written in milliseconds (the yaml package takes over a second for the same half megabyte).
 *
 * Never written: the target's credentials. Request headers are the ones the step itself set
 * (accept, content type, its own), never --header/--token/--kubeconfig ones, and credential
 * values a server might echo are replaced by `<redacted>`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../runner/run.js';
import type { Profile, ScenarioResult } from '../runner/types.js';
import { Normalizer, redacted } from './normalize.js';

const MANIFEST = 'manifest.json';
const FORMAT = 1;

/** Response headers whose difference is a difference of behaviour (not dates, lengths or trace ids). */
const HEADERS_THAT_MATTER = ['content-type', 'warning', 'cache-control', 'retry-after', 'www-authenticate'];

export interface RecordedExchange {
  step: string;
  request: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, unknown>; body?: unknown };
  response: { status: number; headers: Record<string, unknown>; body?: unknown };
}

export interface ScenarioRecording {
  scenario: string;
  title: string;
  /** Why the scenario did not run against the recorded server. */
  skipped?: string;
  exchanges: RecordedExchange[];
}

export interface Manifest {
  /** What wrote it, and the layout's version. */
  recordedBy: string;
  format: number;
  recordedAt: string;
  /** The target's host (no credentials, path or query) and what it answered to GET /version. */
  target: { host: string; version: unknown };
  profile: Profile;
  scenarios: Array<{ id: string; file: string; skipped?: string }>;
}

export interface Recording {
  manifest: Manifest;
  scenarios: Map<string, ScenarioRecording>;
}

function mattering(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(HEADERS_THAT_MATTER.filter((h) => headers[h] !== undefined).map((h) => [h, headers[h]]));
}

/** One scenario's result as a recording: its exchanges in order, normalized. */
export function recordScenario(r: ScenarioResult, report: Pick<RunReport, 'runId' | 'numbering' | 'startedAt' | 'finishedAt'>, secrets: string[]): ScenarioRecording {
  const n = new Normalizer({ runId: report.runId, scenarioNo: report.numbering[r.id] ?? 0, from: new Date(report.startedAt), to: new Date(report.finishedAt), secrets });
  const exchanges = r.exchanges.map(({ step, exchange: ex }) => {
    const body = ex.sentBody;
    if (ex.method === 'POST' && ex.status < 300) n.learnGenerated(body, ex.body);
    const request: RecordedExchange['request'] = { method: ex.method, path: n.string(ex.path), headers: n.value(ex.stepHeaders) as Record<string, unknown> };
    if (Object.keys(ex.query).length) request.query = n.value(ex.query) as Record<string, unknown>;
    if (body !== undefined) request.body = n.value(body);
    const response: RecordedExchange['response'] = { status: ex.status, headers: n.value(mattering(ex.responseHeaders)) as Record<string, unknown> };
    if (ex.body !== undefined) response.body = n.value(ex.body);
    return { step, request, response };
  });
  return { scenario: r.id, title: r.title, ...(r.outcome === 'skipped' ? { skipped: r.skipReason } : {}), exchanges };
}

/** A file name for a scenario id: the id where it is a safe name. */
function fileFor(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A folder that holds files but no manifest is not a recording: record refuses it before it runs. */
export function checkRecordingDir(dir: string): void {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir);
  if (files.length && !files.includes(MANIFEST)) throw new Error(`${dir} holds files but no ${MANIFEST}: not a recording, refusing to write into it`);
}

/**
 * Writes a recording into `dir`: the manifest and one file per scenario. An earlier recording's
 * scenario files that this one does not have are removed.
 */
export function writeRecording(dir: string, rec: Recording): void {
  checkRecordingDir(dir);
  if (existsSync(dir)) {
    const files = readdirSync(dir);
    const keep = new Set(rec.manifest.scenarios.map((s) => s.file));
    for (const f of files) if (f.endsWith('.json') && f !== MANIFEST && !keep.has(f)) rmSync(join(dir, f));
  } else {
    mkdirSync(dir, { recursive: true });
  }
  for (const s of rec.manifest.scenarios) writeFileSync(join(dir, s.file), pretty(rec.scenarios.get(s.id)));
  writeFileSync(join(dir, MANIFEST), pretty(rec.manifest));
}

export function readRecording(dir: string): Recording {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new Error(`${dir}: no ${MANIFEST} (not a folder written by apoxy-contracts record)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (manifest?.format !== FORMAT || !Array.isArray(manifest.scenarios)) throw new Error(`${file}: not a recording manifest of format ${FORMAT}`);
  const scenarios = new Map<string, ScenarioRecording>();
  for (const s of manifest.scenarios) scenarios.set(s.id, JSON.parse(readFileSync(join(dir, s.file), 'utf8')) as ScenarioRecording);
  return { manifest, scenarios };
}

/** A whole run as a recording. */
export function recordRun(report: RunReport, o: { host: string; version: unknown; secrets: string[] }): Recording {
  const scenarios = new Map<string, ScenarioRecording>();
  const entries: Manifest['scenarios'] = [];
  for (const r of report.results) {
    const s = recordScenario(r, report, o.secrets);
    scenarios.set(r.id, s);
    entries.push({ id: r.id, file: fileFor(r.id), ...(s.skipped ? { skipped: s.skipped } : {}) });
  }
  // /version is written as answered, but for a credential it might repeat.
  const version = redacted(o.version, o.secrets);
  const manifest: Manifest = { recordedBy: 'apoxy-contracts record', format: FORMAT, recordedAt: report.startedAt.replace(/\.\d+Z$/, 'Z'), target: { host: o.host, version }, profile: report.profile, scenarios: entries };
  return { manifest, scenarios };
}
