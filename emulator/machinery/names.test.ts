import { describe, it, expect } from 'vitest';
import { generateName, generateNameSuffix, MAX_GENERATED_NAME_LENGTH, NAME_SUFFIX_ALPHABET } from './names.js';

/** A deterministic source walking through the given indices of the alphabet. */
const seq = (...idx: number[]) => {
  let i = 0;
  return () => (idx[i++ % idx.length] + 0.5) / NAME_SUFFIX_ALPHABET.length;
};

describe('generateNameSuffix (utilrand.String(5))', () => {
  it('uses the vowel-free alphabet', () => {
    expect(NAME_SUFFIX_ALPHABET).toBe('bcdfghjklmnpqrstvwxz2456789');
    expect(NAME_SUFFIX_ALPHABET).toHaveLength(27);
  });
  it('draws 5 characters', () => {
    expect(generateNameSuffix(seq(0, 1, 2, 25, 26))).toBe('bcd89');
    expect(generateNameSuffix(() => 0)).toBe('bbbbb');
    expect(generateNameSuffix(() => 0.999999999)).toBe('99999');
    expect(generateNameSuffix(() => 1)).toBe('99999');
  });
  it('only ever produces alphabet characters', () => {
    for (let i = 0; i < 200; i++) expect(generateNameSuffix(Math.random)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('generateName (SimpleNameGenerator)', () => {
  const r = () => seq(3, 4, 5, 6, 7);
  it('appends the suffix', () => {
    expect(generateName('foo-', r())).toBe('foo-fghjk');
    expect(generateName('', r())).toBe('fghjk');
  });
  it('truncates the base to 58 bytes', () => {
    expect(MAX_GENERATED_NAME_LENGTH).toBe(58);
    expect(generateName('a'.repeat(58), r())).toBe('a'.repeat(58) + 'fghjk');
    expect(generateName('a'.repeat(100), r())).toBe('a'.repeat(58) + 'fghjk');
    expect(generateName('a'.repeat(100), r())).toHaveLength(63);
  });
  it('cuts bytes, not characters', () => {
    // 29 two-byte characters fit exactly
    expect(generateName('\u00e9'.repeat(30), r())).toBe('\u00e9'.repeat(29) + 'fghjk');
    // 57 ASCII + a 3-byte character: one byte survives the cut
    expect(generateName('a'.repeat(57) + '\u20ac', r())).toBe('a'.repeat(57) + '\uFFFD' + 'fghjk');
    // 56 ASCII + a 4-byte character: two bytes survive
    expect(generateName('a'.repeat(56) + '\u{1F600}', r())).toBe('a'.repeat(56) + '\uFFFD\uFFFD' + 'fghjk');
  });
});
