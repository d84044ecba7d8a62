/**
 * The part of openapi.yaml a set of paths needs: the components their `$ref`s reach, directly or
 * through other components. kube-openapi's per-group-version documents (/openapi/v3/apis/<g>/<v>)
 * hold only the definitions of that group/version, so one version's document does not carry
 * another version's schemas.
 */
import type { OpenAPIV3 } from 'openapi-types';

type Components = NonNullable<OpenAPIV3.Document['components']>;

/** `#/components/<section>/<name>` → [section, name] (JSON pointer escapes undone). */
function componentOf(ref: string): [string, string] | undefined {
  const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
  return m ? [m[1], m[2].replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
}

/** Every `$ref` string in a value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

/** The components `paths` reach, section by section, in the document's own order. */
export function componentsReachedBy(components: Components, paths: unknown): Components {
  const reached = new Set<string>();
  const pending = refsIn(paths);
  while (pending.length) {
    const ref = pending.pop()!;
    const at = componentOf(ref);
    if (!at || reached.has(`${at[0]}/${at[1]}`)) continue;
    reached.add(`${at[0]}/${at[1]}`);
    const target = (components as Record<string, Record<string, unknown> | undefined>)[at[0]]?.[at[1]];
    if (target === undefined) throw new Error(`openapi.yaml: unresolved $ref ${ref}`);
    refsIn(target, pending);
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, entries] of Object.entries(components as Record<string, Record<string, unknown>>)) {
    const kept = Object.entries(entries ?? {}).filter(([name]) => reached.has(`${section}/${name}`));
    if (kept.length) out[section] = Object.fromEntries(kept);
  }
  return out as Components;
}
