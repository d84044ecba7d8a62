/**
 * managedFields in a form people read: the fields each manager owns, as paths
 * (`spec.protocol`, `status.conditions[type=Ready].status`) read from the `FieldsV1` trie
 * (`f:<field>`, `k:<key of a map-list item>`, `v:<set value>`, `i:<index>`, `.` for the node itself).
 */

function segment(key: string): string | undefined {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  switch (kind) {
    case 'f:':
      return `.${rest}`;
    case 'i:':
      return `[${rest}]`;
    case 'v:':
      return `[${rest}]`;
    case 'k:':
      try {
        const fields = JSON.parse(rest) as Record<string, unknown>;
        return `[${Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(',')}]`;
      } catch {
        return `[${rest}]`;
      }
    default:
      return undefined; // "." (the node itself) or something unknown
  }
}

/** The owned leaves of a FieldsV1 trie, in the order the trie lists them. */
export function ownedFields(fieldsV1: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, child] of Object.entries(node)) {
      const seg = segment(key);
      if (seg === undefined) continue;
      const path = prefix + seg;
      const children = child && typeof child === 'object' ? Object.keys(child).filter((k) => k !== '.') : [];
      if (children.length) walk(child as Record<string, unknown>, path);
      else out.push(path);
    }
  };
  walk(fieldsV1 ?? {}, '');
  return out.map((p) => (p.startsWith('.') ? p.slice(1) : p));
}
