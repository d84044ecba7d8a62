/** `apoxy-contracts --list`: each scenario and every request it would send (for run id ct-RUNID); sends nothing. */
import { versionOf, type ResourceSet } from '../openapi/resources.js';
import { contentTypeOf, qs, stringifyQuery } from '../runner/exchange.js';
import { guard, selectorFor, UnsafeRequest } from '../runner/safety.js';
import { substitute, type Vars } from '../runner/template.js';
import type { Scenario, Step } from '../runner/types.js';

const RUN_ID = 'ct-RUNID';

function describeStep(step: Step, s: Scenario, vars: Vars, n: number, indent: string): string[] {
  const scope = { runId: RUN_ID, scenario: `s${n}` };
  const only = step.profiles ? ` [profile ${step.profiles.join(',')}]` : '';
  if (step.watch) {
    const q = stringifyQuery(substitute({ ...(step.watch.query ?? {}), watch: '1' }, vars));
    const path = step.watch.path !== undefined ? substitute(step.watch.path, vars) : versionOf(vars.resource).collection;
    const g = guard(vars.resource, 'GET', path, q, undefined, undefined, scope);
    const out = [`${indent}${step.name}: WATCH GET ${path}${qs(g.query)}${only}; expect ${step.watch.events.map((e) => e.type).join(', ')}`];
    for (const t of step.watch.then ?? []) out.push(...describeStep(t, s, vars, n, indent + '  '));
    return out;
  }
  const r = substitute(step.request!, vars);
  const q = stringifyQuery(r.query);
  let g: { query: Record<string, string>; body: unknown };
  try {
    g = guard(vars.resource, r.method, r.path, q, contentTypeOf(r), r.body, scope);
  } catch (e) {
    // A name captured at run time (e.g. from generateName) is checked when it is known.
    if (!(e instanceof UnsafeRequest) || !r.path.includes('<')) throw e;
    g = { query: q, body: r.body };
  }
  const text = g.body === undefined ? undefined : typeof g.body === 'string' ? g.body : JSON.stringify(g.body);
  const body = text === undefined ? '' : `\n${indent}    ${text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters in all)` : text}`;
  const anonymous = r.anonymous ? ' [without credentials]' : '';
  return [`${indent}${step.name}: ${r.method} ${r.path}${qs(g.query)}${r.contentType ? ` (${r.contentType})` : ''}${anonymous}${only}${body}`];
}

export function listScenarios(all: Scenario[], picked: Scenario[], resources: ResourceSet): string {
  const out: string[] = [];
  for (const s of picked) {
    const n = all.indexOf(s);
    const notes = [s.profiles ? `profile ${s.profiles.join(',')}` : '', s.requires?.length ? `requires ${s.requires.join(',')}` : '', s.skip ? `skipped: ${s.skip}` : ''].filter(Boolean).join('; ');
    out.push(`${s.id} [${s.tags.join(', ')}] ${s.title}${notes ? ` (${notes})` : ''}`);
    const scope = { runId: RUN_ID, scenario: `s${n}` };
    const captures = new Proxy({}, { has: () => true, get: (_, k) => `<${String(k)}>` });
    const vars: Vars = { run: RUN_ID, prefix: `${RUN_ID}-s${n}`, resource: resources.get(s.resource), label: selectorFor(scope), captures };
    for (const st of s.steps) out.push(...describeStep(st, s, vars, n, '  '));
  }
  out.push(`${picked.length} scenario(s); requests shown for run id ${RUN_ID}`);
  return out.join('\n');
}
