/**
 * apoxy-emulator: serve the emulated Apoxy API.
 *
 *   apoxy-emulator serve [--port 8080] [--host 127.0.0.1] [--data .data/backends.json | --in-memory]
 *                        [--profile apoxy|documented] [--seed <file or folder>]...
 */
import { parseArgs } from 'node:util';
import { createEmulator } from './emulator.js';
import type { Profile } from './resources/types.js';
import { DataFileError, DataFileInUseError } from './store/index.js';

const USAGE = `Usage: apoxy-emulator <command> [options]

Commands:
  serve              Serve the emulated Apoxy Core API (core.apoxy.dev/v1alpha2 Backend)

Options for serve:
  --port <n>         Port to listen on (default 8080; 0 picks a free port)
  --host <addr>      Address to bind (default 127.0.0.1)
  --data <file>      JSON data file (default .data/backends.json)
  --in-memory        Keep nothing on disk
  --profile <name>   apoxy (default): behave like the real Apoxy server
                     documented: also enforce the published API reference's rules and defaults
  --seed <path>      Manifest file or folder (YAML/JSON, multi-document) to load at start; repeatable
  -h, --help         Show this help
`;

class UsageError extends Error {}

function parseServe(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      profile: { type: 'string', default: 'apoxy' },
      seed: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (!/^\d+$/.test(values.port!) || Number(values.port) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${JSON.stringify(values.port)}`);
  if (values.profile !== 'apoxy' && values.profile !== 'documented') throw new UsageError(`--profile must be apoxy or documented, got ${JSON.stringify(values.profile)}`);
  if (values['in-memory'] && values.data) throw new UsageError('--data and --in-memory cannot be used together');
  return {
    help: values.help!,
    port: Number(values.port),
    host: values.host!,
    dataFile: values['in-memory'] ? undefined : values.data ?? '.data/backends.json',
    profile: values.profile as Profile,
    seed: values.seed ?? [],
  };
}

async function serve(argv: string[]): Promise<void> {
  const opts = parseServe(argv);
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  let emulator;
  try {
    emulator = await createEmulator({ dataFile: opts.dataFile, profile: opts.profile, seed: opts.seed });
  } catch (e) {
    if (e instanceof DataFileError || e instanceof DataFileInUseError) {
      process.stderr.write(`apoxy-emulator: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const failed = emulator.seeded.filter((r) => r.outcome === 'failed');
  for (const f of failed) process.stderr.write(`apoxy-emulator: seed ${f.kind} ${JSON.stringify(f.name)} failed: ${f.status?.message}\n`);
  let url: string;
  try {
    url = await emulator.listen(opts.port, opts.host);
  } catch (e) {
    await emulator.close();
    process.stderr.write(`apoxy-emulator: cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`apoxy-emulator listening on ${url} (profile ${opts.profile}, data ${opts.dataFile ?? 'in memory'})\n`);
  if (emulator.seeded.length) process.stdout.write(`seeded ${emulator.seeded.length - failed.length} of ${emulator.seeded.length} objects\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`apoxy-emulator: ${signal}, finishing in-flight writes\n`);
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(USAGE);
      if (!command) process.exitCode = 2;
      return;
    }
    if (command === 'serve') return await serve(rest);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`apoxy-emulator: ${(e as Error).message}\nRun 'apoxy-emulator --help' for usage.\n`);
      process.exit(2);
    }
    throw e;
  }
}

await main(process.argv.slice(2));
