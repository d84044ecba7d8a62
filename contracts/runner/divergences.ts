/**
 * Known divergences of a target: each entry names a scenario (and optionally a step, a check,
 * a JSON path, a profile), what is observed there and why. A failure an entry covers is
 * reported as "known" instead of failing the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { listShipped, readShipped, shippedLocation } from '../../shipped/files.js';
import type { Failure, Profile } from './types.js';

/** The lists the package ships, usable by name: `--known-divergences apoxy-server`. */
const BUILT_IN_DIVERGENCES = 'contracts/known-divergences';

function builtInDivergenceNames(): string[] {
  return listShipped(BUILT_IN_DIVERGENCES, ['.yaml']).map((f) => f.replace(/\.yaml$/, ''));
}

export interface Divergence {
  scenario: string;
  step?: string;
  check?: string;
  path?: string;
  profile?: Profile;
  observed: string;
  reason: string;
}

export interface DivergenceFile {
  target: string;
  divergences: Divergence[];
}

/** A file, or the name of a built-in list (a file of that name in the working folder wins). */
export function loadDivergences(fileOrName: string): DivergenceFile {
  let file = fileOrName;
  let text: string;
  if (existsSync(fileOrName)) text = readFileSync(fileOrName, 'utf8');
  else if (builtInDivergenceNames().includes(fileOrName)) {
    file = shippedLocation(`${BUILT_IN_DIVERGENCES}/${fileOrName}.yaml`);
    text = readShipped(`${BUILT_IN_DIVERGENCES}/${fileOrName}.yaml`);
  } else {
    throw new Error(`--known-divergences ${fileOrName}: no such file, and no built-in list of that name (built in: ${builtInDivergenceNames().join(', ')})`);
  }
  const d = parse(text) as DivergenceFile;
  if (!d || !Array.isArray(d.divergences)) throw new Error(`${file}: expected a "divergences:" list`);
  for (const [i, e] of d.divergences.entries()) {
    if (!e.scenario || !e.observed || !e.reason) throw new Error(`${file}: divergence ${i + 1} needs scenario, observed and reason`);
  }
  return d;
}

export function covers(d: Divergence, scenario: string, profile: Profile, f: { step?: string; check?: string; path?: string }): boolean {
  return d.scenario === scenario
    && (!d.profile || d.profile === profile)
    && (!d.step || d.step === f.step || f.step?.startsWith(`${d.step} (`) === true)
    && (!d.check || d.check === f.check)
    && (!d.path || (!!f.path && (f.path === d.path || f.path.startsWith(`${d.path}.`) || f.path.startsWith(`${d.path}[`))));
}

export function markKnown(scenario: string, profile: Profile, failures: Failure[], divergences: Divergence[]) {
  for (const f of failures) {
    const d = divergences.find((x) => covers(x, scenario, profile, f));
    if (d) f.known = `${d.observed} (${d.reason})`;
  }
}
