/**
 * Field selectors: k8s.io/apimachinery/pkg/fields/selector.go (ParseSelector, splitTerms,
 * splitTerm, UnescapeValue, hasTerm/notHasTerm/andTerm matching). Which fields are allowed is
 * the caller's business (Apoxy: metadata.name, metadata.namespace, spec.protocol).
 */
import { compareGo } from './go-sort.js';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  /** Unescaped value */
  readonly value: string;
}

export interface FieldSelector {
  /** In the parser's order: the comma-separated terms sorted as strings ("==" reported as "="). */
  readonly requirements: readonly FieldRequirement[];
  /** Selects everything. */
  readonly empty: boolean;
  /** A missing field reads as "" (fields.Set.Get). */
  matches(get: (field: string) => string | undefined): boolean;
  /** Selector.String(): values printed unescaped, as upstream. */
  toString(): string;
}

/** splitTerms: split on commas not escaped by a backslash; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** splitTerm: the first operator occurrence splits; the left side has no escaping. */
function splitTerm(term: string): [string, (typeof TERM_OPERATORS)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.UnescapeValue: \\, \, and \= are the only escapes; bare , or = is an error (%v of a rune prints its number). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}


/** fields.ParseSelector: throws Error with upstream's message. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(compareGo);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new Error(`invalid selector: '${selector}'; can't understand '${part}'`);
    const [field, op, rhs] = t;
    reqs.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeFieldValue(rhs) });
  }
  return {
    requirements: reqs,
    empty: reqs.length === 0,
    matches: (get) =>
      reqs.every((r) => {
        const v = get(r.field) ?? '';
        return r.operator === '=' ? v === r.value : v !== r.value;
      }),
    toString: () => reqs.map((r) => `${r.field}${r.operator}${r.value}`).join(','),
  };
}
