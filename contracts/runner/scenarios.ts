/** Reads scenario files (YAML, one scenario per file) and checks their shape up front. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { versionOf, type ResourceSet } from '../openapi/resources.js';
import { versionsUsed } from './template.js';
import type { Scenario, Step } from './types.js';

/** contracts/scenarios beside the sources (or beside dist/contracts when compiled). */
export function defaultScenarioDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [join(here, '../scenarios'), join(here, '../../../contracts/scenarios')]) {
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch { /* try the next */ }
  }
  throw new Error('contracts/scenarios not found');
}

function checkStep(s: Step, where: string) {
  if (!s || typeof s.name !== 'string') throw new Error(`${where}: every step needs a name`);
  if (!!s.request === !!s.watch) throw new Error(`${where} step ${s.name}: exactly one of request or watch`);
  if (s.request && (!s.request.method || !s.request.path)) throw new Error(`${where} step ${s.name}: request needs method and path`);
  if (s.timeoutMs !== undefined && !(Number.isInteger(s.timeoutMs) && s.timeoutMs > 0)) throw new Error(`${where} step ${s.name}: timeoutMs must be a positive integer`);
  if (s.watch) {
    if (!Array.isArray(s.watch.events)) throw new Error(`${where} step ${s.name}: watch needs events`);
    (s.watch.then ?? []).forEach((t) => checkStep(t, `${where} step ${s.name}`));
  }
}

export function loadScenarios(dirs: string[] = [defaultScenarioDir()]): Scenario[] {
  const out: Scenario[] = [];
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const file = join(dir, f);
      const s = parse(readFileSync(file, 'utf8')) as Scenario;
      if (!s?.id || !s.title || !Array.isArray(s.steps)) throw new Error(`${file}: a scenario needs id, title and steps`);
      s.tags ??= [];
      s.steps.forEach((st) => checkStep(st, file));
      if (out.some((o) => o.id === s.id)) throw new Error(`${file}: duplicate scenario id ${s.id}`);
      out.push({ ...s, file });
    }
  }
  return out;
}

/** `--only` takes scenario ids and tags. */
export function selectScenarios(all: Scenario[], only: string[]): Scenario[] {
  if (!only.length) return all;
  const picked = all.filter((s) => only.includes(s.id) || s.tags.some((t) => only.includes(t)));
  if (!picked.length) throw new Error(`--only ${only.join(',')} matches no scenario id or tag`);
  return picked;
}

/**
 * Every scenario's resource, and every version its `${base:<version>}` placeholders name, is one
 * openapi.yaml describes: checked before anything is sent.
 */
export function checkResources(scenarios: Scenario[], resources: ResourceSet): void {
  for (const s of scenarios) {
    try {
      const r = resources.get(s.resource);
      for (const v of versionsUsed(s.steps)) versionOf(r, v);
    } catch (e) {
      throw new Error(`${s.file}: ${(e as Error).message}`);
    }
  }
}
