/**
 * Go's time.Duration text forms, as metav1.Duration decodes and re-encodes them.
 * parseGoDuration ports time.ParseDuration (src/time/format.go), formatGoDuration ports
 * Duration.String (src/time/time.go). Durations are int64 nanoseconds, held here as bigint.
 */

const MAX_U63 = 1n << 63n; // 1<<63 as Go's uint64 arithmetic uses it
const MAX_INT64 = MAX_U63 - 1n;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // U+00B5 micro sign
  ['\u03bcs', 1_000n], // U+03BC Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const HEX = '0123456789abcdef';
const encoder = new TextEncoder();

/** time.quote: like strconv.Quote, but every non-ASCII or control byte is written as \xNN. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of encoder.encode(ch)) out += '\\x' + HEX[b >> 4] + HEX[b & 0xf];
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** leadingFraction: digits after the point; stops accumulating precision on overflow. */
function leadingFraction(s: string): [bigint, number, string] {
  let i = 0;
  let x = 0n;
  let scale = 1;
  let overflow = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) break;
    if (overflow) continue;
    if (x > MAX_INT64 / 10n) {
      overflow = true;
      continue;
    }
    const y = x * 10n + BigInt(c - 48);
    if (y > MAX_U63) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  return [x, scale, s.slice(i)];
}

/** time.ParseDuration. Returns nanoseconds; throws Error with Go's exact message. */
export function parseGoDuration(orig: string): bigint {
  const invalid = () => new Error('time: invalid duration ' + goTimeQuote(orig));
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  while (s !== '') {
    let f = 0n;
    let scale = 1;
    if (!(s[0] === '.' || isDigit(s.charCodeAt(0)))) throw invalid();
    // leadingInt: [0-9]*
    const pl = s.length;
    let v = 0n;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (!isDigit(c)) break;
      if (v > MAX_U63 / 10n) throw invalid();
      v = v * 10n + BigInt(c - 48);
      if (v > MAX_U63) throw invalid();
    }
    s = s.slice(i);
    const pre = pl !== s.length;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      const pl2 = s.length;
      [f, scale, s] = leadingFraction(s);
      post = pl2 !== s.length;
    }
    if (!pre && !post) throw invalid(); // no digits, e.g. ".s"
    let j = 0;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 46 || isDigit(c)) break;
    }
    if (j === 0) throw new Error('time: missing unit in duration ' + goTimeQuote(orig));
    const u = s.slice(0, j);
    s = s.slice(j);
    const unit = UNITS.get(u);
    if (unit === undefined) throw new Error('time: unknown unit ' + goTimeQuote(u) + ' in duration ' + goTimeQuote(orig));
    if (v > MAX_U63 / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // float64 arithmetic, truncated, exactly as Go: uint64(float64(f) * (float64(unit) / scale))
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > MAX_U63) throw invalid();
    }
    d += v;
    if (d > MAX_U63) throw invalid();
  }
  if (neg) return -d;
  if (d > MAX_INT64) throw invalid();
  return d;
}

/** fmtFrac: ".ddd" without trailing zeros (empty when the fraction is zero), and v / 10**prec. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let s = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) s = digit.toString() + s;
    v /= 10n;
  }
  return [print ? '.' + s : '', v];
}

/** Duration.String: "5m0s", "1h30m0s", "300ms", "1.5µs", "0s", "-5s". The input is taken as int64. */
export function formatGoDuration(ns: bigint): string {
  const d = BigInt.asIntN(64, ns);
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1_000n) [prec, unit] = [0, 'ns'];
    else if (u < 1_000_000n) [prec, unit] = [3, '\u00b5s'];
    else [prec, unit] = [6, 'ms'];
    const [frac, whole] = fmtFrac(u, prec);
    out = whole.toString() + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = (u % 60n).toString() + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out; // stop at hours: days vary in length
    }
  }
  return neg ? '-' + out : out;
}

/** What a metav1.Duration field reads back as: Duration.String(ParseDuration(s)). Throws like parseGoDuration. */
export function canonicalGoDuration(s: string): string {
  return formatGoDuration(parseGoDuration(s));
}
