import { describe, it, expect } from 'vitest';
import { isIPv4, isIPv6, parseGoAddr, parseGoIP } from './go-ip.js';

describe('parseGoIP (Go 1.25 net.ParseIP != nil)', () => {
  const valid = [
    '127.0.1.2',
    '0.0.0.0',
    '255.255.255.255',
    '1.2.3.4',
    '10.0.0.1',
    '::',
    '::1',
    '::ffff:1.2.3.4',
    '::ffff:127.1.2.3',
    '::ffff:7f01:0203',
    '0:0:0:0:0000:ffff:127.1.2.3',
    '0:0:0:0:000000:ffff:127.1.2.3'.replace('000000', '0000'),
    '2001:4860:0:2001::68',
    '2001:4860:0000:2001:0000:0000:0000:0068',
    '2001:db8::68',
    'fe80::1',
    'FE80::1',
    '1:2:3:4:5:6:7:8',
    '1::',
    '1:2:3:4:5:6::',
    '::2:3:4:5:6:7:8',
    '1:2:3:4:5:6:1.2.3.4',
    '64:ff9b::1.2.3.4',
  ];
  it.each(valid)('accepts %s', (s) => {
    expect(parseGoIP(s)).toBe(true);
  });

  const invalid = [
    '',
    'a',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.02.3.4',
    '1.2.3.004',
    '1.2.3.256',
    '256.1.1.1',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    '-1.2.3.4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4/24',
    '1.2.3.4%eth0',
    'fe80::1%eth0',
    'fe80::1%',
    '%eth0',
    '[::1]',
    '::1/128',
    ':',
    ':::',
    '1:2',
    '1::2::3',
    '12345::',
    '00000::1',
    'g::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    '1:2:3:4:5:6:7:8::',
    '1:2:3:4:1.2.3.4',
    '::ffff:01.2.3.4',
    '::ffff:1.2.3',
    '::1.2.3.4.5',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1:',
    'localhost',
    'example.com',
  ];
  it.each(invalid)('rejects %j', (s) => {
    expect(parseGoIP(s)).toBe(false);
  });
});

describe('parseGoAddr errors (netip messages)', () => {
  const cases: [string, string][] = [
    ['', 'unable to parse IP'],
    ['%eth0', 'missing IPv6 address'],
    ['01.2.3.4', 'IPv4 field has octet with leading zero'],
    ['1.2.3.256', 'IPv4 field has value >255'],
    ['1..2.3', 'IPv4 field must have at least one digit'],
    ['1.2.3.4.5', 'IPv4 address too long'],
    ['1.2.3', 'IPv4 address too short'],
    ['1.2.3.x', 'unexpected character'],
    ['fe80::1%', 'zone must be a non-empty string'],
    ['12345::', 'each group must have 4 or less digits'],
    ['1::2::3', 'multiple :: in address'],
    ['1:2', 'address string too short'],
    ['1:2:3:4:5:6:7:8:9', 'trailing garbage after address'],
    ['1:2:3:4:5:6:7::8', 'the :: must expand to at least one field of zeros'],
    ['1:2:3:4:1.2.3.4', 'embedded IPv4 address must replace the final 2 fields of the address'],
    ['1:', 'colon must be followed by more characters'],
    ['1:g', 'each colon-separated field must have at least one digit'],
    ['1x:2', 'unexpected character, want colon'],
  ];
  it.each(cases)('%j -> %s', (s, msg) => {
    expect(parseGoAddr(s)).toEqual({ ok: false, error: msg });
  });

  it('accepts zones at the netip level (net.ParseIP then rejects them)', () => {
    const a = parseGoAddr('fe80::1%eth0');
    expect(a.ok && a.zone).toBe('eth0');
  });

  it('expands :: and embedded IPv4', () => {
    const a = parseGoAddr('::ffff:1.2.3.4');
    expect(a.ok && Array.from(a.bytes)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    const b = parseGoAddr('2001:db8::68');
    expect(b.ok && Array.from(b.bytes)).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x68]);
  });
});

describe('isIPv4 / isIPv6', () => {
  it('classifies by text form', () => {
    expect(isIPv4('1.2.3.4')).toBe(true);
    expect(isIPv6('1.2.3.4')).toBe(false);
    expect(isIPv4('::ffff:1.2.3.4')).toBe(false);
    expect(isIPv6('::ffff:1.2.3.4')).toBe(true);
    expect(isIPv6('::')).toBe(true);
    expect(isIPv6('fe80::1%eth0')).toBe(false);
    expect(isIPv4('01.2.3.4')).toBe(false);
  });
});

describe('parseGoAddr at the edges of each rule', () => {
  const hex = (a: { ok: boolean; bytes?: Uint8Array }) => (a.ok ? Buffer.from(a.bytes!).toString('hex') : 'invalid');
  it('places the fields around :: where they belong', () => {
    expect(hex(parseGoAddr('1::2'))).toBe('00010000000000000000000000000002');
    expect(hex(parseGoAddr('1:2::3:4'))).toBe('00010002000000000000000000030004');
    expect(hex(parseGoAddr('::ffff:1.2.3.4'))).toBe('00000000000000000000ffff01020304');
    expect(hex(parseGoAddr('a:f:A:F:9:0::'))).toBe('000a000f000a000f0009000000000000');
    expect(hex(parseGoAddr('9.9.0.9'))).toBe('09090009');
  });

  it.each([
    ['10000::1', 'each group must have 4 or less digits'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'embedded IPv4 address must replace the final 2 fields of the address'],
    ['1:2:3:4:5:6::7:1.2.3.4', 'too many hex fields to fit an embedded IPv4 at the end of the address'],
    ['1::2::3', 'multiple :: in address'],
    ['::1::', 'multiple :: in address'],
    ['1:2:3:4::5:6:7:8', 'the :: must expand to at least one field of zeros'],
    ['1..2.3', 'IPv4 field must have at least one digit'],
    ['1.2.3.', 'IPv4 field must have at least one digit'],
    ['g::1', undefined],
    ['G::1', undefined],
    ['`::1', undefined],
    ['@::1', undefined],
    ['1:2:3:4:5:6:7', 'address string too short'],
    [':1::', undefined],
    ['1.2.3.4:', undefined],
    ['/1.2.3.4', undefined],
    [':1.2.3.4', undefined],
  ])('refuses %s', (s, why) => {
    const a = parseGoAddr(s);
    expect(a.ok).toBe(false);
    if (why) expect(a.ok ? '' : a.error).toBe(why);
  });
});
