/**
 * Start-up three ways: `node bin/apoxy-emulator.js`, the same without the parsed-document cache
 * (every start parses openapi.yaml: what the cache saves), and the single-file executable (and
 * its size). Process start to the first answered GET, in memory; the three alternate, and each
 * reports the median of several rounds, so that other load on the machine penalizes none.
 * Part of `npm run bench`; `node --import tsx scripts/bench-startup.ts` prints these rows alone
 * (dist/ must be built).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { binaryIsStale, buildBinary, EXECUTABLE } from '../binary/build.js';
import { BACKENDS, fmt, median, ROOT, startProcess } from './bench-lib.js';

export interface StartupRow {
  name: string;
  value: string;
  target?: string;
}

export async function startupRows(rounds = 7): Promise<StartupRow[]> {
  if (binaryIsStale()) {
    process.stderr.write('building the single-file executable (npm run build:binary)...\n');
    await buildBinary();
  }
  const serve = ['serve', '--port', '0', '--in-memory'];
  const viaNode = () => startProcess([join(ROOT, 'bin/apoxy-emulator.js'), ...serve], { probe: BACKENDS });
  // A cache folder that cannot be made: the document is parsed at every start.
  const uncached = () => startProcess([join(ROOT, 'bin/apoxy-emulator.js'), ...serve], { env: { APOXY_EMULATOR_CACHE_DIR: '/dev/null/no-cache' }, probe: BACKENDS });
  const viaBinary = () => startProcess(serve, { probe: BACKENDS, command: EXECUTABLE });
  const times: number[][] = [[], [], []];
  for (let round = 0; round < rounds + 1; round++) {
    for (const [i, start] of [viaNode, uncached, viaBinary].entries()) {
      const p = await start();
      await p.stop();
      if (round > 0) times[i].push(p.startupMs); // the first round warms the file cache
    }
  }
  const [node, parsing, binary] = times.map(median);
  return [
    { name: `start-up to first GET, in memory, parsing openapi.yaml every time (median of ${rounds})`, value: `${fmt(parsing)} ms` },
    { name: 'start-up ratio with the parse cache / without', value: fmt(node / parsing, 2) },
    { name: 'single-file executable: size (linux-x64)', value: `${fmt(statSync(EXECUTABLE).size / 2 ** 20, 1)} MiB` },
    { name: `start-up to first GET, in memory: node bin/apoxy-emulator.js (median of ${rounds})`, value: `${fmt(node)} ms` },
    { name: `start-up to first GET, in memory: single-file executable (median of ${rounds})`, value: `${fmt(binary)} ms` },
    { name: 'start-up ratio executable / node bin', value: fmt(binary / node, 2), target: '≤ 1.10' },
  ];
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  for (const r of await startupRows()) process.stdout.write(`${r.name}: ${r.value}${r.target ? ` (target ${r.target})` : ''}\n`);
}
