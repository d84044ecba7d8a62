/** The paths and matchers every expectation, capture and watch event of a scenario speaks. */
import { describe, expect, it } from 'vitest';
import { formatPath, getPath, isMatcher, MATCHERS, mismatch, parsePath } from './matchers.js';

const found = (value: unknown) => ({ found: true, value });
const absent = { found: false, value: undefined };

describe('paths', () => {
  it('parses dots, indexes and quoted keys, and writes them back', () => {
    expect(parsePath('metadata.labels["a.b/c"]')).toEqual(['metadata', 'labels', 'a.b/c']);
    expect(parsePath('items[0].metadata.name')).toEqual(['items', 0, 'metadata', 'name']);
    expect(parsePath('details.causes[12].field')).toEqual(['details', 'causes', 12, 'field']);
    expect(parsePath('a[""]')).toEqual(['a', '']);
    expect(formatPath(['spec', 'endpoints', 0, 'fqdn'])).toBe('spec.endpoints[0].fqdn');
    expect(formatPath(['metadata', 'labels', 'contracts.apoxy.dev/run'])).toBe('metadata.labels["contracts.apoxy.dev/run"]');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['$a_b-c'])).toBe('$a_b-c');
    expect(formatPath(['1a'])).toBe('["1a"]');
    expect(formatPath(['a b'])).toBe('["a b"]');
  });

  it('reads a value, telling absent from null', () => {
    const obj = { a: { b: [10, { c: null }] } };
    expect(getPath(obj, 'a.b[0]')).toEqual(found(10));
    expect(getPath(obj, 'a.b[1].c')).toEqual(found(null));
    expect(getPath(obj, 'a.b[2]')).toEqual(absent);
    expect(getPath(obj, 'a.x.y')).toEqual(absent);
    expect(getPath(obj, 'a.b[1].c.d')).toEqual(absent);
    expect(getPath('text', 'length')).toEqual(absent);
    expect(getPath(obj, '')).toEqual(found(obj));
  });
});

describe('matchers', () => {
  it('knows exactly the documented ones', () => {
    expect([...MATCHERS]).toEqual(['exists', 'not', 'length', 'contains', 'matches', 'oneOf']);
    expect(isMatcher({ exists: true })).toBe(true);
    expect(isMatcher({ not: 1, length: 2 })).toBe(true);
    expect(isMatcher({ exists: true, other: 1 })).toBe(false);
    expect(isMatcher({})).toBe(false);
    expect(isMatcher([{ exists: true }])).toBe(false);
    expect(isMatcher(null)).toBe(false);
    expect(isMatcher('exists')).toBe(false);
  });

  it('compares plain values as values', () => {
    expect(mismatch(found({ a: 1, b: [2] }), { b: [2], a: 1 })).toBeUndefined();
    expect(mismatch(found(1), 2)).toBe('expected 2, got 1');
    expect(mismatch(found('1'), 1)).toBe('expected 1, got "1"');
    expect(mismatch(absent, null)).toBe('expected null, got absent');
    expect(mismatch(found(null), null)).toBeUndefined();
  });

  it('exists', () => {
    expect(mismatch(found(0), { exists: true })).toBeUndefined();
    expect(mismatch(absent, { exists: false })).toBeUndefined();
    expect(mismatch(absent, { exists: true })).toBe('expected present, got absent');
    expect(mismatch(found(null), { exists: false })).toBe('expected absent, got null');
  });

  it('not', () => {
    expect(mismatch(found('5'), { not: '6' })).toBeUndefined();
    expect(mismatch(found('5'), { not: '5' })).toBe('expected anything but "5"');
    expect(mismatch(found({ a: [1] }), { not: { a: [1] } })).toBe('expected anything but {"a":[1]}');
    expect(mismatch(absent, { not: '5' })).toBeUndefined();
  });

  it('length', () => {
    expect(mismatch(found([1, 2]), { length: 2 })).toBeUndefined();
    expect(mismatch(found('abc'), { length: 3 })).toBeUndefined();
    expect(mismatch(found([1]), { length: 2 })).toBe('expected length 2, got 1');
    expect(mismatch(found({ length: 2 }), { length: 2 })).toBe('expected length 2, got {"length":2}');
    expect(mismatch(absent, { length: 0 })).toBe('expected length 0, got absent');
  });

  it('contains', () => {
    expect(mismatch(found('a warning here'), { contains: 'warning' })).toBeUndefined();
    expect(mismatch(found(['a', { b: 1 }]), { contains: { b: 1 } })).toBeUndefined();
    expect(mismatch(found('nothing'), { contains: 'warning' })).toBe('expected to contain "warning", got "nothing"');
    expect(mismatch(found(['a']), { contains: 'b' })).toBe('expected to contain "b", got ["a"]');
    expect(mismatch(found('n 12 n'), { contains: 12 })).toBeUndefined();
    expect(mismatch(found({ a: 'warning' }), { contains: 'warning' })).toBe('expected to contain "warning", got {"a":"warning"}');
    expect(mismatch(absent, { contains: 'x' })).toBe('expected to contain "x", got absent');
  });

  it('matches', () => {
    expect(mismatch(found('web-x2b4z'), { matches: '^web-[a-z0-9]{5}$' })).toBeUndefined();
    expect(mismatch(found('web-'), { matches: '^web-[a-z0-9]{5}$' })).toBe('expected to match /^web-[a-z0-9]{5}$/, got "web-"');
    expect(mismatch(found(12), { matches: '1' })).toBe('expected to match /1/, got 12');
    expect(mismatch(absent, { matches: '.*' })).toBe('expected to match /.*/, got absent');
  });

  it('oneOf', () => {
    expect(mismatch(found(['b', 'a']), { oneOf: [['a', 'b'], ['b', 'a']] })).toBeUndefined();
    expect(mismatch(found(['a']), { oneOf: [['a', 'b'], ['b', 'a']] })).toBe('expected one of [["a","b"],["b","a"]], got ["a"]');
    expect(mismatch(absent, { oneOf: [null] })).toBe('expected one of [null], got absent');
  });

  it('checks every matcher given together', () => {
    expect(mismatch(found('abc'), { length: 3, matches: '^a' })).toBeUndefined();
    expect(mismatch(found('abc'), { length: 3, matches: '^b' })).toBe('expected to match /^b/, got "abc"');
    expect(mismatch(found('abc'), { exists: true, not: 'abc' })).toBe('expected anything but "abc"');
  });
});
