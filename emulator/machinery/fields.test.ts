import { describe, it, expect } from 'vitest';
import { escapeFieldValue, parseFieldSelector, unescapeFieldValue } from './fields.js';

describe('parseFieldSelector (upstream fields TestSelectorParse)', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b', 'metadata.name=b1', ',', 'a=,'])('accepts %j', (s) => {
    expect(() => parseFieldSelector(s)).not.toThrow();
  });

  const bad: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['z=1,y', "invalid selector: 'z=1,y'; can't understand 'y'"],
    ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['k=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['k=a\\,,b', "invalid selector: 'k=a\\,,b'; can't understand 'b'"],
  ];
  it.each(bad)('rejects %j', (s, msg) => {
    expect(() => parseFieldSelector(s)).toThrow(new Error(msg));
  });

  it('reports the first bad term in sorted order', () => {
    expect(() => parseFieldSelector('zz,aa')).toThrow("invalid selector: 'zz,aa'; can't understand 'aa'");
  });

  it('exposes requirements in sorted term order, == as =, values unescaped', () => {
    const sel = parseFieldSelector('spec.protocol!=h2,metadata.name==b\\,1');
    expect(sel.requirements).toEqual([
      { field: 'metadata.name', operator: '=', value: 'b,1' },
      { field: 'spec.protocol', operator: '!=', value: 'h2' },
    ]);
    expect(sel.empty).toBe(false);
    expect(sel.toString()).toBe('metadata.name=b,1,spec.protocol!=h2');
  });

  it('empty selectors', () => {
    for (const s of ['', ',', ',,']) expect(parseFieldSelector(s).empty).toBe(true);
    expect(parseFieldSelector('a=').requirements).toEqual([{ field: 'a', operator: '=', value: '' }]);
    expect(parseFieldSelector('=').requirements).toEqual([{ field: '', operator: '=', value: '' }]);
  });
});

describe('splitTerm cases through the parser', () => {
  const cases: [string, string, '=' | '!=', string][] = [
    ['a=', 'a', '=', ''],
    ['a==', 'a', '=', ''],
    ['a!=', 'a', '!=', ''],
    ['a=!b', 'a', '=', '!b'],
    ['a\\=b', 'a\\', '=', 'b'],
    ['함=수', '함', '=', '수'],
  ];
  it.each(cases)('%j', (s, field, operator, value) => {
    expect(parseFieldSelector(s).requirements).toEqual([{ field, operator, value }]);
  });
  it('a!==b has an unescaped = on the right', () => {
    expect(() => parseFieldSelector('a!==b')).toThrow('invalid field selector: unescaped character in value: 61');
  });
});

describe('escape / unescape (upstream TestEscapeValue, TestInvalidUnescapeValue)', () => {
  const pairs: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  it.each(pairs)('%j <-> %j', (raw, escaped) => {
    expect(escapeFieldValue(raw)).toBe(escaped);
    expect(unescapeFieldValue(escaped)).toBe(raw);
  });
  const bad: [string, string][] = [
    ['\\', 'invalid field selector: invalid escape sequence: \\'],
    ['\\\\\\', 'invalid field selector: invalid escape sequence: \\'],
    ['\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['=', 'invalid field selector: unescaped character in value: 61'],
    [',', 'invalid field selector: unescaped character in value: 44'],
    ['a=', 'invalid field selector: unescaped character in value: 61'],
    ['a,', 'invalid field selector: unescaped character in value: 44'],
  ];
  it.each(bad)('%j', (s, msg) => expect(() => unescapeFieldValue(s)).toThrow(new Error(msg)));
});

describe('FieldSelector.matches (upstream TestSelectorMatches)', () => {
  const set = (m: Record<string, string>) => (f: string) => (Object.prototype.hasOwnProperty.call(m, f) ? m[f] : undefined);
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    ['missing=', {}, true],
    ['missing!=', {}, false],
    ['missing!=x', {}, true],
  ];
  it.each(cases)('%j on %j -> %s', (s, m, want) => {
    expect(parseFieldSelector(s).matches(set(m))).toBe(want);
  });
});
