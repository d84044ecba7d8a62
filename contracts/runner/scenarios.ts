/** Reads scenario files (YAML, one scenario per file) and checks their shape up front. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { listShipped, readShipped, shippedLocation } from '../../shipped/files.js';
import { versionOf, type ResourceSet } from '../openapi/resources.js';
import { versionsUsed } from './template.js';
import type { Scenario, Step } from './types.js';

/** The built-in scenarios: contracts/scenarios in the package (or the executable's assets). */
const BUILT_IN_SCENARIOS = 'contracts/scenarios';

/** Each scenario file's location and text, from folders on disk or, by default, the built-in ones. */
function scenarioTexts(dirs: string[] | undefined): { file: string; text: string }[] {
  const yaml = (f: string) => /\.ya?ml$/.test(f);
  if (!dirs) return listShipped(BUILT_IN_SCENARIOS, ['.yaml', '.yml']).map((f) => ({ file: shippedLocation(`${BUILT_IN_SCENARIOS}/${f}`), text: readShipped(`${BUILT_IN_SCENARIOS}/${f}`) }));
  return dirs.flatMap((dir) => readdirSync(dir).filter(yaml).sort().map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })));
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

/** The scenarios of these folders, or the built-in ones. */
export function loadScenarios(dirs?: string[]): Scenario[] {
  const out: Scenario[] = [];
  for (const { file, text } of scenarioTexts(dirs)) {
    const s = parse(text) as Scenario;
    if (!s?.id || !s.title || !Array.isArray(s.steps)) throw new Error(`${file}: a scenario needs id, title and steps`);
    s.tags ??= [];
    s.steps.forEach((st) => checkStep(st, file));
    if (out.some((o) => o.id === s.id)) throw new Error(`${file}: duplicate scenario id ${s.id}`);
    out.push({ ...s, file });
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
