/**
 * `apoxy-emulator seed|reset|snapshot --target <url>`: the admin API from the command line,
 * through the same AdminClient test harnesses use.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdminClient, AdminError } from '../admin-client.js';
import { exampleManifests, manifestFiles } from '../seed.js';
import type { StoreState } from '../store/types.js';
import { usageError } from './usage-error.js';

/** Where the commands look for a running emulator when --target is not given. */
export const TARGET_ENV = 'APOXY_EMULATOR_URL';
export const ADMIN_COMMANDS = new Set(['seed', 'reset', 'snapshot']);

export const ADMIN_USAGE = `  seed <path>...     Create or update objects from manifest files or folders in a running emulator
  seed --example     The same with the example Backends the package ships (fixtures/valid)
  reset              Empty a running emulator's store (resourceVersions keep increasing)
  snapshot           Print a running emulator's whole state as JSON (--output <file> to save it,
                     --restore <file> to load one back)
  (these take --target <url>, default $${TARGET_ENV} or http://127.0.0.1:8080, and --api-key <key>)
`;

/** Runs one admin command; resolves with the exit code (0 ok, 1 the server refused or failed). */
export async function adminCommand(command: string, argv: string[], apiKeyEnv?: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: command === 'seed',
    strict: true,
    options: {
      target: { type: 'string' },
      'api-key': { type: 'string' },
      output: { type: 'string', short: 'o' },
      restore: { type: 'string' },
      example: { type: 'boolean' },
    },
  });
  if (values.example && command !== 'seed') throw usageError('--example belongs to the seed command');
  if (command !== 'snapshot' && (values.output || values.restore)) throw usageError(`--output and --restore belong to the snapshot command`);
  if (values.output && values.restore) throw usageError('--output and --restore cannot be used together');
  const target = values.target ?? process.env[TARGET_ENV] ?? 'http://127.0.0.1:8080';
  if (!/^https?:\/\/[^/]+/.test(target)) throw usageError(`--target must be an http(s) URL, got ${JSON.stringify(target)}`);
  const key = values['api-key'] || (apiKeyEnv ? process.env[apiKeyEnv] : undefined);
  const admin = new AdminClient(target, key ? { Authorization: `Bearer ${key}` } : {});
  try {
    if (command === 'reset') {
      const r = await admin.reset();
      process.stdout.write(`reset ${target} (resourceVersion ${r.resourceVersion})\n`);
      return 0;
    }
    if (command === 'seed') {
      if (!positionals.length && !values.example) throw usageError('seed needs at least one manifest file or folder, or --example');
      let texts: string[];
      try {
        texts = manifestFiles(positionals).map((f) => readFileSync(f, 'utf8'));
      } catch (e) {
        throw usageError((e as Error).message);
      }
      if (values.example) texts.unshift(...exampleManifests());
      const text = texts.join('\n---\n');
      const r = await admin.seed(text);
      for (const o of r.results) {
        const line = `${o.outcome} ${o.kind} ${JSON.stringify(o.name)}${o.status ? `: ${o.status.message}` : ''}\n`;
        (o.outcome === 'failed' ? process.stderr : process.stdout).write(line);
      }
      process.stdout.write(`${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} failed\n`);
      return r.failed ? 1 : 0;
    }
    if (values.restore) {
      let state: StoreState;
      try {
        state = JSON.parse(readFileSync(values.restore, 'utf8')) as StoreState;
      } catch (e) {
        throw usageError(`--restore ${values.restore}: ${(e as Error).message}`);
      }
      const r = await admin.restore(state);
      process.stdout.write(`restored ${values.restore} into ${target} (resourceVersion ${r.resourceVersion})\n`);
      return 0;
    }
    const text = JSON.stringify(await admin.snapshot(), null, 2) + '\n';
    if (values.output) writeFileSync(values.output, text);
    else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    process.stderr.write(`apoxy-emulator: ${e.message}\n`);
    return 1;
  }
}
