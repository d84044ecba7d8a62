/**
 * Warning headers as kube-apiserver writes them (apiserver endpoints/filters/warning.go and
 * apimachinery util/net NewWarningHeader): `299 - "<text>"` with only `"` and `\` escaped, the text
 * as raw UTF-8; a text that is not valid UTF-8 or holds a control character is dropped, not sent;
 * duplicates are sent once; past 4096 runes in all, every warning is cut to 256 runes.
 */
const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024;
const TRUNCATE_ITEM_RUNES = 256;

/** Go's unicode.IsControl: C0, DEL and C1. Lone surrogates are not valid UTF-8. */
const UNSENDABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function header(text: string): string | undefined {
  if (UNSENDABLE.test(text)) return undefined;
  const value = `299 - "${text.replace(/["\\]/g, '\\$&')}"`;
  // Node sends a header string as latin1: spell the UTF-8 bytes out so they go on the wire as Go writes them.
  return Buffer.from(value, 'utf8').toString('latin1');
}

const runes = (s: string) => [...s];

function cut(text: string): { text: string; length: number } {
  const r = runes(text);
  return r.length > TRUNCATE_ITEM_RUNES ? { text: r.slice(0, TRUNCATE_ITEM_RUNES).join(''), length: TRUNCATE_ITEM_RUNES } : { text, length: r.length };
}

/** The Warning header values for the warnings of one response: the recorder's AddWarning, step by step. */
export function warningHeaders(warnings: readonly string[]): string[] {
  const recorded = new Set<string>();
  const ordered: string[] = [];
  let headers: string[] = [];
  let written = 0;
  let truncating = false;
  for (const warning of warnings) {
    if (!warning) continue;
    if (written >= TRUNCATE_AT_TOTAL_RUNES && truncating) break;
    if (recorded.has(warning)) continue;
    recorded.add(warning);
    ordered.push(warning);
    const { text, length } = truncating ? cut(warning) : { text: warning, length: runes(warning).length };
    const h = header(text);
    if (h === undefined) continue;
    if (written + length <= TRUNCATE_AT_TOTAL_RUNES || truncating) {
      written += length;
      headers.push(h);
      continue;
    }
    // Over the limit: start again, every warning so far cut to its first runes.
    truncating = true;
    written = 0;
    headers = [];
    for (const w of ordered) {
      const c = cut(w);
      const replayed = header(c.text);
      if (replayed === undefined) continue;
      written += c.length;
      headers.push(replayed);
    }
  }
  return headers;
}
