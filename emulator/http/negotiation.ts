/**
 * Content negotiation as k8s.io/apiserver endpoints/handlers/negotiation does it: which
 * representation the client accepts (JSON, YAML, or a server-side Table), and pretty-printing.
 */
import { errors } from '../machinery/status.js';

export const SERVED_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

export interface TableRequest {
  version: 'v1' | 'v1beta1';
}

export interface Negotiated {
  format: 'json' | 'yaml';
  table?: TableRequest;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type, ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
    }
    const q = params.q !== undefined ? Number(params.q) : 1;
    return { type: (type || '').toLowerCase(), params, q: Number.isFinite(q) ? q : 1 };
  }).filter((r) => r.q > 0);
}

/**
 * The first acceptable representation in the client's order of preference. `allowTable` is
 * false where no Table can be made (status subresource, errors).
 */
export function negotiate(accept: string | undefined, allowTable: boolean): Negotiated {
  // Clients send the same few Accept headers over and over: remember the answers.
  const answers = allowTable ? withTable : withoutTable;
  const key = accept ?? '';
  const known = answers.get(key);
  if (known) return known;
  const result = Object.freeze(negotiateUncached(accept, allowTable));
  if (answers.size >= 256) answers.clear();
  answers.set(key, result);
  return result;
}

const withTable = new Map<string, Negotiated>();
const withoutTable = new Map<string, Negotiated>();

function negotiateUncached(accept: string | undefined, allowTable: boolean): Negotiated {
  const ranges = parseAccept(accept);
  if (!ranges.length) return { format: 'json' };
  const sorted = [...ranges].sort((a, b) => b.q - a.q);
  for (const r of sorted) {
    if (r.params.as) {
      if (allowTable && r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1') && (r.type === 'application/json' || r.type === 'application/yaml')) {
        return { format: r.type === 'application/yaml' ? 'yaml' : 'json', table: { version: r.params.v } };
      }
      continue; // a conversion we cannot do (PartialObjectMetadata, other groups): try the next
    }
    if (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*') return { format: 'json' };
    if (r.type === 'application/yaml') return { format: 'yaml' };
  }
  throw errors.notAcceptable(SERVED_MEDIA_TYPES);
}

/** `pretty` is on when asked for, or for the user agents kube-apiserver pretty-prints for. */
export function wantsPretty(pretty: unknown, userAgent: string | undefined): boolean {
  if (pretty !== undefined && pretty !== '') return pretty === 'true' || pretty === '1';
  return /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent ?? '');
}

/** The media type of a request body, lowercased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  return contentType.split(';')[0].trim().toLowerCase() || undefined;
}
