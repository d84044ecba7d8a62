/**
 * apoxy-contracts: runs the contract scenarios against a server (run, record, verify) or two
 * (diff). main() is the whole command, with its output sinks passed in so tests can run it
 * in-process; cli.ts is the executable wrapper; command/ holds one file per command.
 * Exit codes: 0 all passed (and agreed), 1 a check failed (or responses differed), 2 bad usage,
 * 130 interrupted (after cleaning up).
 */
import { packageVersion } from '../shipped/files.js';
import { checkList, selectChecks } from './checks/registry.js';
import { diffCommand } from './command/diff.js';
import { listScenarios } from './command/list.js';
import { HELP, listOption, parse, Usage } from './command/options.js';
import { recordCommand } from './command/record.js';
import { runCommand } from './command/run.js';
import type { Io, Session } from './command/session.js';
import { verifyCommand } from './command/verify.js';
import { readContractDocument } from './openapi/document.js';
import { ResourceSet } from './openapi/resources.js';
import { loadDivergences } from './runner/divergences.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './runner/exchange.js';
import { checkResources, loadScenarios, selectScenarios } from './runner/scenarios.js';
import type { Profile } from './runner/types.js';

export type { Io } from './command/session.js';

const COMMANDS: Record<string, (s: Session) => Promise<number>> = { run: runCommand, record: recordCommand, verify: verifyCommand, diff: diffCommand };

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), handleSignals: true };

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.stderr(`apoxy-contracts: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, command } = parsed;
  if (values.version) {
    io.stdout(`apoxy-contracts ${packageVersion()}\n`);
    return 0;
  }
  if (values['list-checks']) {
    io.stdout(checkList());
    return 0;
  }
  if (values.help || (!command && !values.list)) {
    io.stdout(HELP);
    return values.help ? 0 : 2;
  }
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    io.stderr('\nInterrupted: deleting what this run created (Ctrl-C again to quit at once)…\n');
    abort.abort();
  };
  try {
    const profile = (values.profile ?? 'apoxy') as Profile;
    if (profile !== 'apoxy' && profile !== 'documented') throw new Usage(`--profile must be apoxy or documented, got ${profile}`);
    let checks;
    try {
      checks = selectChecks(listOption(values.checks), listOption(values['exclude-checks']));
    } catch (e) {
      throw new Usage((e as Error).message);
    }
    const doc = readContractDocument();
    const all = loadScenarios(values.scenarios ? [values.scenarios] : undefined);
    checkResources(all, ResourceSet.for(doc));
    const picked = selectScenarios(all, listOption(values.only));
    if (values.list) {
      io.stdout(listScenarios(all, picked, ResourceSet.for(doc)) + '\n');
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new Usage(`unknown command ${command} (run, record, verify or diff)`);
    const timeoutMs = values.timeout ? Number(values.timeout) : DEFAULT_REQUEST_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Usage('--timeout must be a positive number of milliseconds');
    const divergences = values['known-divergences'] ? loadDivergences(values['known-divergences']).divergences : [];
    if (io.handleSignals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    return await run({ values, io, profile, all, picked, checks, divergences, timeoutMs, doc, signal: abort.signal });
  } catch (e) {
    io.stderr(`apoxy-contracts: ${(e as Error).message}\n`);
    return e instanceof Usage ? 2 : 1;
  } finally {
    if (io.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
