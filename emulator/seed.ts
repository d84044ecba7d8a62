/**
 * Seeding from manifests (files or folders of YAML/JSON, multi-document), the way
 * `kubectl apply -f` treats them: create what is missing, replace what exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ApiDocument } from './openapi/document.js';
import type { ResourceRegistry } from './machinery/registry.js';
import { isStatusError, type StatusBody } from './machinery/status.js';
import type { KubeObject } from './resources/types.js';
import { listShipped, readShipped } from '../shipped/files.js';

/** The example manifests the package ships (`apoxy-emulator seed --example`): fixtures/valid. */
const EXAMPLES = 'fixtures/valid';

export function exampleManifests(): string[] {
  return listShipped(EXAMPLES, ['.yaml', '.yml', '.json']).map((f) => readShipped(`${EXAMPLES}/${f}`));
}

export interface SeedResult {
  name: string;
  kind: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'failed';
  status?: StatusBody;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Every manifest file under the given paths, in a stable order. */
export function manifestFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        const full = join(p, entry);
        if (statSync(full).isDirectory()) out.push(...manifestFiles([full]));
        else if (MANIFEST_EXTENSIONS.has(extname(entry))) out.push(full);
      }
    } else out.push(p);
  }
  return out;
}

/** Parses a YAML or JSON text holding one or more documents (a `List` is flattened). */
export function parseManifests(text: string): unknown[] {
  const docs: unknown[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) throw new Error(d.errors[0].message);
    const v = d.toJSON();
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && Array.isArray((v as { items?: unknown }).items) && /List$/.test(String((v as { kind?: unknown }).kind))) docs.push(...(v as { items: unknown[] }).items);
    else docs.push(v);
  }
  return docs;
}

export async function seedObjects(doc: ApiDocument, registries: Map<string, ResourceRegistry>, manifests: unknown[]): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  for (const m of manifests) {
    const obj = (m ?? {}) as Partial<KubeObject>;
    // A manifest in any served version; without apiVersion, the preferred one.
    const reg = [...registries.values()].find((r) => r.def.kind === obj.kind && (!obj.apiVersion || r.servedAs(obj.apiVersion)));
    const name = obj.metadata?.name ?? obj.metadata?.generateName ?? '';
    if (!reg) {
      results.push({ name, kind: String(obj.kind ?? ''), outcome: 'failed', status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', message: `no resource served for ${String(obj.apiVersion ?? '')} ${String(obj.kind ?? '')}`, code: 400 } });
      continue;
    }
    const version = (obj.apiVersion ? reg.servedAs(obj.apiVersion)! : reg.versions[0]).name;
    const op = (action: string, sub?: string) => doc.operations.find((o) => o.resource === reg.def.plural && o.gvk.version === version && o.action === action && o.subresource === sub)!;
    const body = Buffer.from(JSON.stringify(m));
    const base = { query: { fieldManager: 'apoxy-emulator-seed' }, body, contentType: 'application/json', userAgent: 'apoxy-emulator' };
    try {
      const existing = obj.metadata?.name ? reg.store.get(reg.def.plural, obj.metadata.name) : undefined;
      if (existing) {
        const withRV = { ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } };
        const r = await reg.update({ ...base, op: op('put'), name: existing.metadata.name, body: Buffer.from(JSON.stringify(withRV)) });
        const after = r.body as KubeObject;
        results.push({ name: existing.metadata.name!, kind: reg.def.kind, outcome: after.metadata.resourceVersion === existing.metadata.resourceVersion ? 'unchanged' : 'updated' });
      } else {
        const r = await reg.create({ ...base, op: op('post') });
        results.push({ name: (r.body as KubeObject).metadata.name!, kind: reg.def.kind, outcome: 'created' });
      }
    } catch (e) {
      if (!isStatusError(e)) throw e;
      results.push({ name, kind: reg.def.kind, outcome: 'failed', status: e.status });
    }
  }
  return results;
}

/** A seed path that cannot be read, or a manifest that cannot be parsed: a bad `--seed`, not a crash. */
export class ManifestError extends Error {}

export function readManifests(paths: string[]): unknown[] {
  let files: string[];
  try {
    files = manifestFiles(paths);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ManifestError(`cannot read ${err.path ?? paths.join(', ')}: ${err.code ?? err.message}`);
  }
  return files.flatMap((f) => {
    try {
      return parseManifests(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new ManifestError(`${f}: ${(e as Error).message}`);
    }
  });
}
