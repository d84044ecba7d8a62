/**
 * The `serve` flags for test harnesses (`--faults`, `--clock`, `--random-seed`, `--simulate-ready`):
 * their parseArgs options, help lines, parsing into emulator options and the note they add to
 * the start-up line. cli.ts only spreads them into its own.
 */
import { readFileSync } from 'node:fs';
import type { Emulator } from '../emulator.js';
import type { EmulatorOptions } from '../options.js';
import { parseFaultText } from '../faults/rules.js';
import { parseClockFlag } from '../simulate/clock.js';
import { usageError } from './usage-error.js';

export const HARNESS_SERVE_OPTIONS = {
  faults: { type: 'string' },
  clock: { type: 'string' },
  'random-seed': { type: 'string' },
  'simulate-ready': { type: 'string' },
} as const;

export const HARNESS_SERVE_USAGE = `  --faults <file>    Fault rules (YAML/JSON) active from the start; see /_emulator/faults
  --clock <c>        real (default) or fixed:<RFC 3339>, e.g. fixed:2026-01-01T00:00:00Z
  --random-seed <n>  Reproducible uids, generateName suffixes and fault rules
  --simulate-ready <duration>
                     Set a Ready condition on each Backend this long (Go duration) after a change
`;

export function harnessOptions(values: { faults?: string; clock?: string; 'random-seed'?: string; 'simulate-ready'?: string }): Partial<EmulatorOptions> {
  const out: Partial<EmulatorOptions> = {};
  if (values.faults !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.faults, 'utf8');
    } catch (e) {
      throw usageError(`--faults: cannot read ${values.faults}: ${(e as Error).message}`);
    }
    try {
      out.faults = parseFaultText(text);
    } catch (e) {
      throw usageError(`--faults ${values.faults}: ${(e as Error).message}`);
    }
  }
  if (values.clock !== undefined) {
    try {
      out.fixedClock = parseClockFlag(values.clock);
    } catch (e) {
      throw usageError((e as Error).message);
    }
  }
  if (values['random-seed'] !== undefined) {
    if (!/^-?\d+$/.test(values['random-seed'])) throw usageError(`--random-seed must be an integer, got ${JSON.stringify(values['random-seed'])}`);
    out.randomSeed = Number(values['random-seed']);
  }
  // Checked with every other option by check-options.ts, as createEmulator() checks it.
  if (values['simulate-ready'] !== undefined) out.simulateReady = values['simulate-ready'];
  return out;
}

/** What the start-up line adds when harness features are on (nothing when they are off). */
export function harnessStartupNote(emulator: Emulator, options: Partial<EmulatorOptions>): string {
  const notes: string[] = [];
  const n = emulator.faults.activeRules;
  if (n) notes.push(`${n} fault rule${n === 1 ? '' : 's'} active`);
  if (emulator.clock.fixed) notes.push(`clock fixed at ${emulator.clock.now().toISOString()}`);
  if (options.randomSeed !== undefined) notes.push(`random seed ${options.randomSeed}`);
  if (options.simulateReady !== undefined) notes.push(`simulate-ready ${options.simulateReady}`);
  return notes.map((s) => `, ${s}`).join('');
}
