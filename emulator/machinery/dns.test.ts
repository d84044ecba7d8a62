import { describe, it, expect } from 'vitest';
import { isDNS1123Label, isDNS1123Subdomain, isFullyQualifiedDomainName, regexError, utf8Length } from './dns.js';
import { errorString } from './field-errors.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('isDNS1123Subdomain (upstream TestIsDNS1123Subdomain)', () => {
  const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a', 'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1', '0.a', '01.a', '012.a', '1a.a', '1-a.a', '1--a--b--2', '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1', 'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', 'a'.repeat(253)];
  it.each(good)('accepts %s', (v) => expect(isDNS1123Subdomain(v)).toEqual([]));

  const bad = ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A', 'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee', 'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', 'a\n', '*.example.com'];
  it.each(bad)('rejects %j', (v) => expect(isDNS1123Subdomain(v)).toEqual([SUBDOMAIN_MSG]));

  it('length is checked in bytes and reported before the regex', () => {
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(isDNS1123Subdomain('\u00e9'.repeat(127))).toEqual(['must be no more than 253 characters', SUBDOMAIN_MSG]);
  });
});

describe('isDNS1123Label', () => {
  it('accepts labels and rejects dots and bad characters', () => {
    expect(isDNS1123Label('a'.repeat(63))).toEqual([]);
    expect(isDNS1123Label('a.b')).toEqual(['must not contain dots']);
    expect(isDNS1123Label('A')).toEqual([LABEL_MSG]);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('isFullyQualifiedDomainName (upstream TestIsFullyQualifiedDomainName)', () => {
  const good = ['a.com', 'k8s.io', 'dev.k8s.io', 'dev.k8s.io.', 'foo.example.com', 'this.is.a.really.long.fqdn', 'bbc.co.uk', '10.0.0.1', 'hyphens-are-good.k8s.io', 'a'.repeat(63) + '.k8s.io', ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(54), 'k8s.io'].join('.')];
  it.each(good)('accepts %s', (v) => expect(isFullyQualifiedDomainName('spec.fqdn', v)).toEqual([]));

  const bad = ['.', '...', '.io', 'com', '.com', 'Dev.k8s.io', '.foo.example.com', '*.example.com', '*.bar.com', '*.foo.bar.com', 'underscores_are_bad.k8s.io', 'foo@bar.example.com', 'http://foo.example.com', 'a'.repeat(64) + '.k8s.io', ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(55), 'k8s.io'].join('.')];
  it.each(bad)('rejects %j with exactly one error', (v) => expect(isFullyQualifiedDomainName('spec.fqdn', v)).toHaveLength(1));

  const p = 'spec.endpoints.[0].fqdn';
  const messages: [string, string][] = [
    ['', 'spec.endpoints.[0].fqdn: Required value'],
    ['localhost', 'spec.endpoints.[0].fqdn: Invalid value: "localhost": should be a domain with at least two segments separated by dots'],
    ['localhost.', 'spec.endpoints.[0].fqdn: Invalid value: "localhost": should be a domain with at least two segments separated by dots'],
    ['Foo.com.', `spec.endpoints.[0].fqdn: Invalid value: "Foo.com": ${SUBDOMAIN_MSG}`],
    ['.', `spec.endpoints.[0].fqdn: Invalid value: "": ${SUBDOMAIN_MSG}`],
    ['a..', `spec.endpoints.[0].fqdn: Invalid value: "a.": ${SUBDOMAIN_MSG}`],
    ['a'.repeat(64) + '.k8s.io', `spec.endpoints.[0].fqdn: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ['a'.repeat(254) + '.io', `spec.endpoints.[0].fqdn: Invalid value: "${'a'.repeat(254)}.io": must be no more than 253 characters`],
    ['_' + 'a'.repeat(254) + '.io', `spec.endpoints.[0].fqdn: Invalid value: "_${'a'.repeat(254)}.io": must be no more than 253 characters,${SUBDOMAIN_MSG}`],
  ];
  it.each(messages)('%j', (v, msg) => {
    const errs = isFullyQualifiedDomainName(p, v);
    expect(errs.map(errorString)).toEqual([msg]);
  });

  it('keeps the stripped name as the value', () => {
    expect(isFullyQualifiedDomainName('f', 'LOCAL.')[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'f', value: 'LOCAL' });
  });
});

describe('helpers', () => {
  it('regexError joins examples with double spaces like upstream', () => {
    expect(regexError('m', 'x', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'x')");
    expect(regexError('m', 'x')).toBe("m (regex used for validation is 'x')");
  });
  it('utf8Length counts the bytes Go sees, at every width boundary and for lone surrogates', () => {
    for (const s of ['\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\ud800', '\udbff', '\udc00', '\ud800a', 'a\ud800', '\ud800\ud800\udc00', 'x\udbff\udfff', '\u0800\udc00', '\u4e00\udc00', '\udc00\udc00', '\ud800\u0800', '\ue000\udc00']) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(Buffer.byteLength(s));
    }
  });

  it('utf8Length counts bytes', () => {
    expect(utf8Length('a\u00e9\u20ac\u{1f600}')).toBe(1 + 2 + 3 + 4);
  });
});
