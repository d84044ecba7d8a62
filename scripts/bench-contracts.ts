/**
 * What recording and verifying add to a contract run: every scenario against one emulator,
 * `run`, `record` and `verify` (against contracts/golden) in alternation, best of `rounds` each,
 * so that other load on the machine penalizes none more than the others.
 */
import { join } from 'node:path';
import { main as contracts } from '../contracts/main.js';
import { ROOT, startEmulator } from './bench-lib.js';

export interface ContractSuiteCost {
  runMs: number;
  recordMs: number;
  verifyMs: number;
}

export async function contractSuiteCost(dir: string, rounds = 3): Promise<ContractSuiteCost> {
  const emu = await startEmulator(join(dir, 'contracts.json'));
  const quiet = { stdout: () => {}, stderr: () => {} };
  const args = { run: ['run'], record: ['record', '--out', join(dir, 'recording')], verify: ['verify', '--golden', join(ROOT, 'contracts/golden')] };
  const took = { run: Infinity, record: Infinity, verify: Infinity };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const cmd of ['run', 'record', 'verify'] as const) {
        const t0 = performance.now();
        const code = await contracts([...args[cmd], '--target', emu.url], quiet);
        if (code !== 0) throw new Error(`apoxy-contracts ${cmd} exited ${code}`);
        took[cmd] = Math.min(took[cmd], performance.now() - t0);
      }
    }
  } finally {
    await emu.stop();
  }
  return { runMs: took.run, recordMs: took.record, verifyMs: took.verify };
}
