/**
 * Seeded randomness (`--random-seed`): one PRNG feeds generateName suffixes and the random bytes
 * of every uid, so the same requests in the same order give the same responses in every run.
 */
import seedrandom from 'seedrandom';
import { v4 as uuidv4 } from 'uuid';

export interface SeededRandomness {
  random: () => number;
  uuid: () => string;
  /** Back to the seed's first number (every reset: the same start gives the same uids again). */
  reseed(): void;
}

export function seededRandomness(seed: string | number): SeededRandomness {
  let prng = seedrandom(String(seed));
  const bytes = () => {
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = Math.floor(prng() * 256);
    return b;
  };
  return { random: () => prng(), uuid: () => uuidv4({ random: bytes() }), reseed: () => (prng = seedrandom(String(seed))) };
}

/** A PRNG of its own for one consumer (a fault rule), derived from the run's seed. */
export function derivedPrng(seed: string | number, name: string): () => number {
  const prng = seedrandom(`${seed}/${name}`);
  return () => prng();
}
