import { describe, it, expect } from 'vitest';
import { canonicalGoDuration, formatGoDuration, goTimeQuote, parseGoDuration } from './go-duration.js';

const ns = 1n;
const us = 1_000n;
const ms = 1_000_000n;
const sec = 1_000_000_000n;
const min = 60n * sec;
const hour = 60n * min;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

describe('parseGoDuration (time.ParseDuration, Go parseDurationTests)', () => {
  const cases: [string, bigint][] = [
    ['0', 0n],
    ['5s', 5n * sec],
    ['30s', 30n * sec],
    ['1478s', 1478n * sec],
    ['-5s', -5n * sec],
    ['+5s', 5n * sec],
    ['-0', 0n],
    ['+0', 0n],
    ['5.0s', 5n * sec],
    ['5.6s', 5n * sec + 600n * ms],
    ['5.s', 5n * sec],
    ['.5s', 500n * ms],
    ['1.0s', sec],
    ['1.00s', sec],
    ['1.004s', sec + 4n * ms],
    ['1.0040s', sec + 4n * ms],
    ['100.00100s', 100n * sec + ms],
    ['10ns', 10n * ns],
    ['11us', 11n * us],
    ['12\u00b5s', 12n * us],
    ['12\u03bcs', 12n * us],
    ['13ms', 13n * ms],
    ['14s', 14n * sec],
    ['15m', 15n * min],
    ['16h', 16n * hour],
    ['3h30m', 3n * hour + 30n * min],
    ['10.5s4m', 4n * min + 10n * sec + 500n * ms],
    ['-2m3.4s', -(2n * min + 3n * sec + 400n * ms)],
    ['1h2m3s4ms5us6ns', hour + 2n * min + 3n * sec + 4n * ms + 5n * us + 6n * ns],
    ['39h9m14.425s', 39n * hour + 9n * min + 14n * sec + 425n * ms],
    ['52763797000ns', 52763797000n],
    ['0.3333333333333333333h', 20n * min],
    ['9007199254740993ns', (1n << 53n) + 1n],
    ['9223372036854775807ns', MAX_INT64],
    ['9223372036854775.807us', MAX_INT64],
    ['9223372036s854ms775us807ns', MAX_INT64],
    ['-9223372036854775808ns', MIN_INT64],
    ['-9223372036854775.808us', MIN_INT64],
    ['-9223372036s854ms775us808ns', MIN_INT64],
    ['-2562047h47m16.854775808s', MIN_INT64],
    ['0.100000000000000000000h', 6n * min],
    ['0.830103483285477580700h', 49n * min + 48n * sec + 372539827n],
    ['1.5h', hour + 30n * min],
    ['1m30s', 90n * sec],
  ];
  it.each(cases)('%s', (input, want) => {
    expect(parseGoDuration(input)).toBe(want);
  });

  const invalid: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['abc', 'time: invalid duration "abc"'],
    [' 5s', 'time: invalid duration " 5s"'],
    ['5s ', 'time: unknown unit "s " in duration "5s "'],
    ['3', 'time: missing unit in duration "3"'],
    ['5', 'time: missing unit in duration "5"'],
    ['1h5', 'time: missing unit in duration "1h5"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1constructor', 'time: unknown unit "constructor" in duration "1constructor"'],
    ['5S', 'time: unknown unit "S" in duration "5S"'],
    ['\uFFFD', 'time: invalid duration "\\xef\\xbf\\xbd"'],
    ['\uFFFD hello \uFFFD world', 'time: invalid duration "\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'],
    ['1\u00e9', 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'],
    ['1"', 'time: unknown unit "\\"" in duration "1\\""'],
    ['1\t', 'time: unknown unit "\\x09" in duration "1\\x09"'],
    ['9223372036854775810ns', 'time: invalid duration "9223372036854775810ns"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    ['9223372036854776us', 'time: invalid duration "9223372036854776us"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['9223372036854ms775us808ns', 'time: invalid duration "9223372036854ms775us808ns"'],
    ['99999999999999999999s', 'time: invalid duration "99999999999999999999s"'],
  ];
  it.each(invalid)('rejects %j', (input, message) => {
    expect(() => parseGoDuration(input)).toThrow(new Error(message));
  });
});

describe('formatGoDuration (Duration.String, Go durationTests)', () => {
  const cases: [string, bigint][] = [
    ['0s', 0n],
    ['1ns', 1n],
    ['1.1\u00b5s', 1100n],
    ['2.2ms', 2200n * us],
    ['3.3s', 3300n * ms],
    ['4m5s', 4n * min + 5n * sec],
    ['4m5.001s', 4n * min + 5001n * ms],
    ['5h6m7.001s', 5n * hour + 6n * min + 7001n * ms],
    ['8m0.000000001s', 8n * min + 1n],
    ['2562047h47m16.854775807s', MAX_INT64],
    ['-2562047h47m16.854775808s', MIN_INT64],
    ['-5s', -5n * sec],
    ['300ms', 300n * ms],
    ['1.5\u00b5s', 1500n],
    ['-1ns', -1n],
  ];
  it.each(cases)('%s', (want, d) => {
    expect(formatGoDuration(d)).toBe(want);
  });

  it('wraps to int64 like a Go Duration', () => {
    expect(formatGoDuration(1n << 63n)).toBe('-2562047h47m16.854775808s');
  });
});

describe('canonicalGoDuration (metav1.Duration round trip)', () => {
  const cases: [string, string][] = [
    ['5m', '5m0s'],
    ['60s', '1m0s'],
    ['1h', '1h0m0s'],
    ['0', '0s'],
    ['1.5h', '1h30m0s'],
    ['300ms', '300ms'],
    ['-5s', '-5s'],
    ['1m30s', '1m30s'],
    ['90m', '1h30m0s'],
    ['1500us', '1.5ms'],
    ['1.5us', '1.5\u00b5s'],
    ['+0', '0s'],
  ];
  it.each(cases)('%s -> %s', (input, want) => {
    expect(canonicalGoDuration(input)).toBe(want);
  });

  it('throws the parse error', () => {
    expect(() => canonicalGoDuration('1d')).toThrow('time: unknown unit "d" in duration "1d"');
  });
});

describe('goTimeQuote', () => {
  it('escapes quotes and backslashes, hex-escapes non-ASCII bytes', () => {
    expect(goTimeQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goTimeQuote('\u00b5')).toBe('"\\xc2\\xb5"');
    expect(goTimeQuote('\x7f')).toBe('"\x7f"');
  });
});
