/**
 * generateName expansion: k8s.io/apiserver/pkg/storage/names (SimpleNameGenerator) with the
 * suffix alphabet of k8s.io/apimachinery/pkg/util/rand.String. The randomness source is injected
 * (Math.random-like, [0,1)) so tests are deterministic; Go's PRNG sequence is not reproduced,
 * only the alphabet, length and uniform choice.
 */

/** utilrand alphanums: no vowels, to avoid forming words. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
/** names.MaxGeneratedNameLength */
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/** utilrand.String(5) */
export function generateNameSuffix(random: () => number): string {
  let out = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    const idx = Math.min(Math.floor(random() * NAME_SUFFIX_ALPHABET.length), NAME_SUFFIX_ALPHABET.length - 1);
    out += NAME_SUFFIX_ALPHABET[Math.max(idx, 0)];
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/**
 * Go base[:58]: a byte cut. A multi-byte character split by the cut leaves bytes that Go's JSON
 * encoder writes as one U+FFFD each, which is what a client reads back.
 */
function truncateBytes(base: string, max: number): string {
  const bytes = encoder.encode(base);
  if (bytes.length <= max) return base;
  let end = max;
  // back up to the start of the character that straddles the cut
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end)) + '\uFFFD'.repeat(max - end);
}

/** SimpleNameGenerator.GenerateName: base truncated to 58 bytes, plus 5 random characters. */
export function generateName(base: string, random: () => number): string {
  return truncateBytes(base, MAX_GENERATED_NAME_LENGTH) + generateNameSuffix(random);
}
