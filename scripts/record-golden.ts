/**
 * `npm run contracts:golden`: records the contract scenarios against a fresh emulator (in
 * memory, profile apoxy) into contracts/golden/, the recording test/contracts-golden.test.ts
 * holds the emulator to. Run it when the emulator's answers change on purpose, and review the
 * diff: it is the change of wire behaviour.
 */
import { fileURLToPath } from 'node:url';
import { main } from '../contracts/main.js';
import { createEmulator } from '../emulator/index.js';

export const GOLDEN = fileURLToPath(new URL('../contracts/golden', import.meta.url));

const emulator = await createEmulator({ profile: 'apoxy' });
try {
  const url = await emulator.listen(0);
  process.exitCode = await main(['record', '--target', url, '--out', GOLDEN]);
} finally {
  await emulator.close();
}
