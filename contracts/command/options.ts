/**
 * The command line of apoxy-contracts: its help text (the one copy: `npm run docs:usage` puts
 * it in contracts/README.md), its options, and what they turn into (the target, the checks).
 */
import { parseArgs } from 'node:util';
import { fromKubeconfig, parseHeader, type TargetOptions } from '../runner/client.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../runner/exchange.js';

export const HELP = `apoxy-contracts run --target <base URL> [options]
apoxy-contracts record --target <base URL> --out <dir> [options]
apoxy-contracts verify --golden <dir> --target <base URL> [options]
apoxy-contracts diff --a <base URL> --b <base URL> [options]
apoxy-contracts --list [--only ...]
apoxy-contracts --list-checks

Runs the contract scenarios (contracts/scenarios/*.yaml) against a server and applies every
selected check to every response.
  run     reports what failed
  record  also writes every request and normalized response, one JSON file per scenario, and
          manifest.json, into --out (never a credential)
  verify  runs the scenarios a recording holds and compares every response with it
  diff    runs the scenarios against two servers and compares their responses
Every object a run creates is named <run id>-… and labelled contracts.apoxy.dev/run=<run id>;
lists and Delete All carry that label selector; everything is deleted at the end (also on Ctrl-C).

  --target <url>              Server base URL, e.g. http://127.0.0.1:8080 or https://localhost:8443
  --header 'Name: value'      Extra request header (repeatable), e.g. 'X-Apoxy-API-Key: …'
  --token <bearer>            Authorization: Bearer <token>
  --insecure                  Accept a self-signed TLS certificate
  --expect-auth               The target requires credentials: also run the scenarios that send
                              requests without them and expect 401 (skipped otherwise)
  --kubeconfig <file>         Server, token, client certificate and CA from a kubeconfig
  --context <name>            kubeconfig context (default: current-context)
  --profile apoxy|documented  Expectations to hold the server to (default apoxy; verify: the
                              recording's)
  --only <id or tag>          Only these scenarios (repeatable or comma-separated)
  --scenarios <dir>           Read scenarios from this folder instead of the built-in ones
  --checks <name,...>         Apply only these checks (default all; see --list-checks)
  --exclude-checks <name,...> Apply all checks but these ('all': none, e.g. to only record)
  --known-divergences <file|name>
                              Report the failures and differences listed there as known; a
                              list the package ships, by name: apoxy-server (the real Apoxy
                              API server)
  --junit <file>              Write a JUnit XML report
  --json <file>               Write the full report (every request and response) as JSON
  --timeout <ms>              Per-request timeout (default ${DEFAULT_REQUEST_TIMEOUT_MS})
  --out <dir>                 record: the folder to write (replaces an earlier recording there)
  --golden <dir>              verify: a folder written by record
  --a <url>, --b <url>        diff: the two servers (headers/token/TLS options apply to both)
  --list                      Print the scenarios and every request they would send; send nothing
  --list-checks               Print the checks, one line each
  -h, --help                  Show this help
  --version                   Print the version
`;

/** A mistake on the command line: exit 2. */
export class Usage extends Error {}

export function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      header: { type: 'string', multiple: true },
      token: { type: 'string' },
      insecure: { type: 'boolean' },
      'expect-auth': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      profile: { type: 'string' },
      only: { type: 'string', multiple: true },
      scenarios: { type: 'string' },
      checks: { type: 'string', multiple: true },
      'exclude-checks': { type: 'string', multiple: true },
      'known-divergences': { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'string' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      golden: { type: 'string' },
      list: { type: 'boolean' },
      'list-checks': { type: 'boolean' },
      a: { type: 'string' },
      b: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  return { values, command: positionals[0], extra: positionals.slice(1) };
}

export type Values = ReturnType<typeof parse>['values'];

/** A repeatable, comma-separated option as a list. */
export function listOption(v: string[] | undefined): string[] {
  return (v ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
}

/** Where the target is and how to reach it: --target (or `url`), headers, token, TLS, kubeconfig. */
export function targetOptions(values: Values, url: string | undefined): TargetOptions {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const [k, v] = parseHeader(h);
    headers[k] = v;
  }
  let o: TargetOptions = { target: url ?? '', headers, insecure: values.insecure };
  if (values.kubeconfig) {
    const k = fromKubeconfig(values.kubeconfig, values.context);
    if (k.token) headers.Authorization = `Bearer ${k.token}`;
    o = { ...o, ...k, target: url ?? k.target, insecure: values.insecure || k.insecure, headers };
  }
  if (values.token) headers.Authorization = `Bearer ${values.token}`;
  if (!o.target) throw new Usage('--target (or --kubeconfig) is required');
  try {
    new URL(o.target);
  } catch {
    throw new Usage(`not a URL: ${o.target}`);
  }
  return o;
}
