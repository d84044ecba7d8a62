import { describe, it, expect } from 'vitest';
import { humanDuration, shortHumanDuration } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (upstream TestHumanDuration + boundaries)', () => {
  const cases: [number, string][] = [
    [s, '1s'],
    [70 * s, '70s'],
    [190 * s, '3m10s'],
    [70 * m, '70m'],
    [47 * h, '47h'],
    [49 * h, '2d1h'],
    [(8 * 24 + 2) * h, '8d'],
    [367 * 24 * h, '367d'],
    [(365 * 2 * 24 + 25) * h, '2y1d'],
    [(365 * 8 * 24 + 2) * h, '8y'],
    [0, '0s'],
    [999, '0s'],
    [-1500, '0s'],
    [-1999, '0s'],
    [-2000, '<invalid>'],
    [119 * s + 999, '119s'],
    [120 * s, '2m'],
    [150 * s, '2m30s'],
    [5 * m, '5m'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [48 * h, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [(365 * 8 - 1) * d, '7y364d'],
    [100 * 365 * d, '100y'],
  ];
  it.each(cases)('%d ms -> %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});

describe('shortHumanDuration (upstream TestShortHumanDuration + boundaries)', () => {
  const cases: [number, string][] = [
    [s, '1s'],
    [70 * s, '1m'],
    [190 * s, '3m'],
    [70 * m, '1h'],
    [47 * h, '1d'],
    [49 * h, '2d'],
    [(8 * 24 + 2) * h, '8d'],
    [367 * 24 * h, '1y'],
    [(365 * 2 * 24 + 25) * h, '2y'],
    [(365 * 8 * 24 + 2) * h, '8y'],
    [0, '0s'],
    [-1000, '0s'],
    [-1999, '0s'],
    [-2000, '<invalid>'],
    [59 * s + 999, '59s'],
    [60 * s, '1m'],
    [59 * m + 59 * s, '59m'],
    [60 * m, '1h'],
    [23 * h + 59 * m, '23h'],
    [24 * h, '1d'],
    [364 * d + 23 * h, '364d'],
    [365 * d, '1y'],
  ];
  it.each(cases)('%d ms -> %s', (ms, want) => expect(shortHumanDuration(ms)).toBe(want));

  it('saturates huge values like time.Sub', () => {
    expect(shortHumanDuration(Number.MAX_VALUE)).toBe('292y');
    expect(humanDuration(Infinity)).toBe('292y');
    expect(shortHumanDuration(-Infinity)).toBe('<invalid>');
  });
});
