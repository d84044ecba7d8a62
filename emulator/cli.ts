/**
 * apoxy-emulator: the executable. `serve` runs the emulated Apoxy API, `kubeconfig` prints a
 * kubeconfig for it, `compact` folds a stopped one's journal into its data file,
 * `seed|reset|snapshot` drive a running one (cli/admin-commands.ts). USAGE below is the one help
 * text; docs/ include its output, checked by test/docs.test.ts.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createEmulator } from './emulator.js';
import { checkOptions, EmulatorOptionsError, type OptionNames } from './check-options.js';
import type { EmulatorOptions, TlsOption } from './options.js';
import type { Profile } from './resources/types.js';
import { compactDataFile, DataFileError, DataFileInUseError } from './store/index.js';
import { API_KEY_ENV } from './http/auth.js';
import { isLoopbackAddress, parseAllowedHosts } from './http/host-check.js';
import { moveDamagedDataFile } from './store/damaged.js';
import { readTlsFiles } from './http/tls.js';
import { ManifestError } from './seed.js';
import { kubeconfig } from './kubeconfig.js';
import { DASHBOARD_PATH } from './http/dashboard.js';
import { ADMIN_COMMANDS, ADMIN_USAGE, adminCommand, TARGET_ENV } from './cli/admin-commands.js';
import { HARNESS_SERVE_OPTIONS, HARNESS_SERVE_USAGE, harnessOptions, harnessStartupNote } from './cli/harness-flags.js';
import { usageError } from './cli/usage-error.js';
import { followNpmWrapper } from './cli/npm-wrapper.js';
import { packageVersion } from '../shipped/files.js';

const USAGE = `Usage: apoxy-emulator <command> [options]

Commands:
  serve              Serve the emulated Apoxy Core API (core.apoxy.dev Backend, v1alpha2 and v1alpha)
  kubeconfig         Print a kubeconfig for a running emulator (kubectl, client-go, client-node)
  compact            Fold a stopped emulator's journal into its data file
${ADMIN_USAGE}  --version          Print the version

Options for serve:
  --port <n>         Port to listen on (default 8080; 0 picks a free port)
  --host <addr>      Address to bind (default 127.0.0.1)
  --data <file>      JSON data file (default .data/backends.json)
  --in-memory        Keep nothing on disk
  --profile <name>   apoxy (default): behave like the real Apoxy server
                     documented: also enforce the published API reference's rules and defaults
  --seed <path>      Manifest file or folder (YAML/JSON, multi-document) to load at start; repeatable
  --api-key <key>    Require X-Apoxy-API-Key: <key> or Authorization: Bearer <key> on every request
                     except health checks (default: $APOXY_EMULATOR_API_KEY)
  --allowed-hosts <name>
                     Also answer requests whose Host header names <name> (a host name or address;
                     .example.test: that domain and its subdomains); repeatable. Loopback names and
                     addresses and the --host address are always answered, other hosts get 403
                     (against DNS rebinding); "all" turns the check off
  --cors-allowed-origins <regexp>
                     Let web apps at matching origins call the emulator from a browser (CORS), e.g.
                     '^http://localhost:5173$'; comma separated and repeatable, as kube-apiserver's
                     flag. Writes from other web origins get 403
  --reset-damaged-data
                     If the data file is damaged, rename it to <file>.damaged-<timestamp> and start empty
  --tls              Serve HTTPS with a self-signed certificate made at start-up
  --cert <file>      Serve HTTPS with this PEM certificate (with --key)
  --key <file>       PEM private key for --cert
  --no-ui            Do not serve the dashboard (default: at /_emulator/ui/)
${HARNESS_SERVE_USAGE}  -h, --help         Show this help

Options for compact:
  --data <file>      The data file (default .data/backends.json); refused while an emulator uses it

Options for kubeconfig:
  --server <url>     The emulator's URL (default $APOXY_EMULATOR_URL or http://127.0.0.1:8080);
                     https skips TLS verification
  --token <key>      Bearer token (the emulator's --api-key; default: $APOXY_EMULATOR_API_KEY)
  --name <name>      Cluster, user and context name (default apoxy-emulator)
`;

const DEFAULT_DATA_FILE = '.data/backends.json';

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
      'api-key': { type: 'string' },
      'allowed-hosts': { type: 'string', multiple: true },
      'cors-allowed-origins': { type: 'string', multiple: true },
      'reset-damaged-data': { type: 'boolean', default: false },
      tls: { type: 'boolean', default: false },
      cert: { type: 'string' },
      key: { type: 'string' },
      'no-ui': { type: 'boolean', default: false },
      ...HARNESS_SERVE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length) throw usageError(`unexpected argument: ${positionals[0]}`);
  if (!/^\d+$/.test(values.port!) || Number(values.port) > 65535) throw usageError(`--port must be a number from 0 to 65535, got ${JSON.stringify(values.port)}`);
  if (values['in-memory'] && values.data) throw usageError('--data and --in-memory cannot be used together');
  if (!values.cert !== !values.key) throw usageError('--cert and --key must be given together');
  if (values.tls && values.cert) throw usageError('--tls makes its own certificate; do not combine it with --cert/--key');
  // Both lists are comma separated and repeatable; checkOptions() checks them, as for createEmulator().
  const allowedHosts = values['allowed-hosts']?.flatMap((v) => v.split(','));
  const corsAllowedOrigins = values['cors-allowed-origins']?.flatMap((v) => v.split(','));
  return {
    help: values.help!,
    port: Number(values.port),
    host: values.host!,
    dataFile: values['in-memory'] ? undefined : values.data ?? DEFAULT_DATA_FILE,
    profile: values.profile as Profile,
    seed: values.seed ?? [],
    apiKey: values['api-key'] || process.env[API_KEY_ENV] || undefined,
    allowedHosts,
    corsAllowedOrigins,
    resetDamagedData: values['reset-damaged-data']!,
    tls: values.tls ? ('self-signed' as const) : values.cert ? { certFile: values.cert, keyFile: values.key! } : undefined,
    ui: !values['no-ui'],
    harness: harnessOptions(values),
  };
}

/** The options' names in messages, as given on the command line. */
function flagNames(argv: string[]): OptionNames {
  const valueOf = (flag: string) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    return i < 0 ? '' : argv[i].includes('=') ? argv[i].slice(flag.length + 1) : argv[i + 1];
  };
  return {
    dataFile: '--data', profile: '--profile', seed: '--seed', apiKey: '--api-key', tls: '--tls',
    'tls.cert': `--cert ${valueOf('--cert')}`, 'tls.key': `--key ${valueOf('--key')}`,
    fixedClock: '--clock', randomSeed: '--random-seed', faults: `--faults ${valueOf('--faults')}`, simulateReady: '--simulate-ready',
    allowedHosts: '--allowed-hosts', corsAllowedOrigins: '--cors-allowed-origins',
  };
}

async function serve(argv: string[]): Promise<void> {
  const opts = parseServe(argv);
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  let tls: TlsOption | undefined;
  try {
    tls = opts.tls === 'self-signed' || !opts.tls ? opts.tls : readTlsFiles(opts.tls.certFile, opts.tls.keyFile);
  } catch (e) {
    process.stderr.write(`apoxy-emulator: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const options: EmulatorOptions = {
    dataFile: opts.dataFile, profile: opts.profile, seed: opts.seed, apiKey: opts.apiKey, allowedHosts: opts.allowedHosts,
    corsAllowedOrigins: opts.corsAllowedOrigins, tls, ui: opts.ui, ...opts.harness,
  };
  // createEmulator() checks the options too; checking here first gives the flags' names and exit 2.
  try {
    checkOptions(options, flagNames(argv));
  } catch (e) {
    throw e instanceof EmulatorOptionsError ? usageError(e.message) : e;
  }
  const hostsOff = parseAllowedHosts(options.allowedHosts).all;
  const start = () => createEmulator(options);
  let emulator;
  try {
    try {
      emulator = await start();
    } catch (e) {
      if (!(e instanceof DataFileError && opts.resetDamagedData && opts.dataFile)) throw e;
      const movedTo = moveDamagedDataFile(opts.dataFile);
      process.stderr.write(`apoxy-emulator: ${e.message}\napoxy-emulator: moved the damaged data to ${movedTo}; starting with an empty store\n`);
      emulator = await start();
    }
  } catch (e) {
    if (e instanceof ManifestError) {
      process.stderr.write(`apoxy-emulator: --seed: ${e.message}\n`);
      process.exit(2);
    }
    if (e instanceof DataFileError || e instanceof DataFileInUseError) {
      const hint = e instanceof DataFileError && !opts.resetDamagedData ? '\napoxy-emulator: the file was left untouched; fix it, or start with --reset-damaged-data to move it aside and start empty' : '';
      process.stderr.write(`apoxy-emulator: ${e.message}${hint}\n`);
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
  if (!opts.apiKey && !isLoopbackAddress(opts.host)) {
    process.stderr.write(`apoxy-emulator: warning: listening on ${opts.host} without an API key; anyone who can reach it can read and change its data (set --api-key or $${API_KEY_ENV})\n`);
  }
  if (!isLoopbackAddress(opts.host) && !hostsOff) {
    process.stderr.write(
      `apoxy-emulator: requests whose Host header names anything but a loopback address or ${opts.host} get 403 Forbidden; ` +
        `allow the names and addresses clients use with --allowed-hosts <name> (repeatable), or any with --allowed-hosts all\n`,
    );
  }
  process.stdout.write(`apoxy-emulator listening on ${url} (profile ${opts.profile}, data ${opts.dataFile ?? 'in memory'}${harnessStartupNote(emulator, opts.harness)})${opts.ui ? `, dashboard ${url}${DASHBOARD_PATH}` : ''}\n`);
  if (emulator.seeded.length) process.stdout.write(`seeded ${emulator.seeded.length - failed.length} of ${emulator.seeded.length} objects\n`);

  // A closed stdout (the reader went away) must not keep the shutdown from finishing its writes.
  process.stdout.on('error', () => undefined);
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
  // Under `npx apoxy-emulator serve &`, `kill $!` ends npm's wrapper: follow it (cli/npm-wrapper.ts).
  followNpmWrapper(() => void stop('the npm process that started it exited'));
}

/** `apoxy-emulator compact`: the journal of a stopped emulator folded into its data file. */
async function compact(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { data: { type: 'string', default: DEFAULT_DATA_FILE }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length) throw usageError(`unexpected argument: ${positionals[0]}`);
  const dataFile = values.data!;
  if (!existsSync(dataFile)) {
    process.stderr.write(`apoxy-emulator: no data file at ${dataFile}\n`);
    process.exit(1);
  }
  try {
    const r = await compactDataFile(dataFile);
    for (const note of r.notes) process.stderr.write(`apoxy-emulator: warning: ${dataFile}: ${note}\n`);
    const state = `${r.objects} object${r.objects === 1 ? '' : 's'}, resourceVersion ${r.resourceVersion}`;
    process.stdout.write(r.folded ? `apoxy-emulator: folded the journal into ${dataFile} (${state})\n` : `apoxy-emulator: ${dataFile} already holds the whole state (${state}); nothing to fold\n`);
  } catch (e) {
    if (e instanceof DataFileError || e instanceof DataFileInUseError) {
      process.stderr.write(`apoxy-emulator: ${e.message}${e instanceof DataFileError ? '\napoxy-emulator: the file was left untouched' : ''}\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** `apoxy-emulator kubeconfig`: a kubeconfig on stdout, e.g. `> ~/.kube/apoxy-emulator.yaml`. */
function printKubeconfig(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string', default: 'apoxy-emulator' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length) throw usageError(`unexpected argument: ${positionals[0]}`);
  let text: string;
  try {
    text = kubeconfig({ server: values.server ?? process.env[TARGET_ENV] ?? 'http://127.0.0.1:8080', name: values.name, token: values.token || process.env[API_KEY_ENV] || undefined });
  } catch (e) {
    throw usageError((e as Error).message);
  }
  process.stdout.write(text);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === 'version') {
      process.stdout.write(`apoxy-emulator ${packageVersion()}\n`);
      return;
    }
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(USAGE);
      if (!command) process.exitCode = 2;
      return;
    }
    if (command === 'serve') return await serve(rest);
    if (command === 'kubeconfig') return printKubeconfig(rest);
    if (command === 'compact') return await compact(rest);
    if (ADMIN_COMMANDS.has(command)) {
      process.exitCode = await adminCommand(command, rest, API_KEY_ENV);
      return;
    }
    throw usageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`apoxy-emulator: ${(e as Error).message}\nRun 'apoxy-emulator --help' for usage.\n`);
      process.exit(2);
    }
    throw e;
  }
}

// Not awaited at the top level, so that the single-file executable's bundle (CommonJS, which
// has no top-level await) can include this module; a rejection still ends the process with its
// stack trace, as an uncaught error would.
void main(process.argv.slice(2));
