/**
 * The code blocks of the documentation (README.md, docs/*.md, contracts/README.md) and what
 * test/doc-examples.test.ts does with each, by its language tag:
 *
 *   ts, js        a module of a user's project with the packed package installed: type-checked
 *                 together (module nodenext, strict, skipLibCheck false), then run: under vitest
 *                 if it imports 'vitest', with `node --test` if it imports 'node:test', else
 *                 with node. A block that uses toMatchSnapshot runs twice, the second time with
 *                 CI=true, so its snapshot must be identical.
 *   sh            a bash script in that project (`set -e -o pipefail`; curl fails on an HTTP
 *                 error status), on its own: a block sets what it needs (KUBECONFIG, files).
 *                 It talks to an emulator at 127.0.0.1:8080, started for it unless it starts
 *                 its own (`apoxy-emulator serve`); $APOXY_EMULATOR_URL names that emulator
 *                 (the admin commands and `kubeconfig` default to it). See `prepareShell`.
 *
 * Every port a block writes (127.0.0.1:8080, localhost:8443, --port 8081) is replaced by a free
 * port of the test run, the same number by the same port throughout the block.
 *   text, yaml,   output, file contents and data: not run.
 *   json
 *   go, python    the Go and Python helpers' examples: their own suites run them (harness/).
 *
 * A ts, js or sh block that cannot run here (a clone's set-up, a real Apoxy server) says so on
 * the line before its fence: `<!-- not run: <why> -->`. Any other tag, or none, fails the test,
 * so that every new block is decided on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN = ['ts', 'js', 'sh'] as const;
export const NOT_CODE = ['text', 'yaml', 'json'] as const;
export const OWN_SUITES = ['go', 'python'] as const;

export interface Block {
  /** The Markdown file, relative to the repository. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** The reason given by `<!-- not run: ... -->`, if any. */
  notRun?: string;
}

/** Every fenced block of a Markdown text. */
export function codeBlocks(file: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block that never closes`);
    const marker = /^<!-- not run: (.+?) -->$/.exec(lines[i - 1] ?? '');
    out.push({ file, line: i + 1, lang: open[1], code: lines.slice(i + 1, end).join('\n') + '\n', notRun: marker?.[1] });
    i = end;
  }
  return out;
}

export function documentationBlocks(root: string, files: string[]): Block[] {
  return files.flatMap((f) => codeBlocks(f, readFileSync(join(root, f), 'utf8')));
}

/** A file name for a block: `docs/clients.md` line 61 → `docs-clients-61`. */
export const blockName = (b: Block) => `${b.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${b.line}`;

/** The port numbers a block addresses: `127.0.0.1:8080`, `localhost:8443`, `--port 8080`. */
export function portsIn(code: string): number[] {
  const found = new Set<number>();
  for (const m of code.matchAll(/(?:127\.0\.0\.1|localhost):(\d{2,5})\b|--port[ =](\d{2,5})\b/g)) found.add(Number(m[1] ?? m[2]));
  return [...found].sort((a, b) => a - b);
}

/** The same code with each documented port replaced by a free one of this run. */
export function withPorts(code: string, map: Map<number, number>): string {
  return code.replace(/((?:127\.0\.0\.1|localhost):|--port[ =])(\d{2,5})\b/g, (m, before: string, port: string) => (map.has(Number(port)) ? `${before}${map.get(Number(port))}` : m));
}

const STARTS_EMULATOR = /apoxy-emulator(\.js)? serve\b|\bnpm start\b/;

/** Whether a block starts an emulator itself (`apoxy-emulator serve`, `npm start`). */
export const startsEmulator = (code: string) => STARTS_EMULATOR.test(code);

/**
 * A shell block made runnable as a script, the way a person runs it line by line:
 *  - each port it names is a free port of this run (the runner gives the map), and a `serve`
 *    without `--port` (the default, 8080) gets the block's port for 8080;
 *  - a line that starts an emulator (`... serve ...`) runs in the background (one in the
 *    foreground would never end: a person goes on in another terminal) and is followed by a
 *    wait until it answers /readyz, as a person waits for its start-up line;
 *  - curl fails on an HTTP error status (`--fail-with-body`), so a request that is refused fails
 *    the example.
 */
export function prepareShell(code: string, ports: Map<number, number>): string {
  const prelude = [
    'set -e -o pipefail',
    'curl() { command curl --fail-with-body "$@"; }',
    '__ready() { for _ in $(seq 300); do command curl -skf "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no emulator answered at $1" >&2; return 1; }',
  ];
  const lines = withPorts(code, ports).split('\n').flatMap((written) => {
    if (!STARTS_EMULATOR.test(written) || /^\s*#/.test(written)) return [written];
    // Without --port it serves on the default, 8080: that is the block's port for 8080.
    let line = /--port[ =]\d+/.test(written) ? written : written.replace(/\bserve\b|\bnpm start\b/, (m) => (m === 'serve' ? `serve --port ${ports.get(8080)}` : `${m} -- --port ${ports.get(8080)}`));
    // In the foreground it would never end: a person starts it in one terminal and goes on in
    // another; here it goes to the background, and the block waits until it answers.
    if (!/&\s*(#.*)?$/.test(line)) line = line.replace(/^(.*?)(\s*#.*)?$/, (_m, cmd: string, comment = '') => `${cmd} &${comment}`);
    const port = /--port[ =](\d+)/.exec(line)![1];
    const scheme = /--tls\b|--cert\b/.test(line) ? 'https' : 'http';
    return [line, `__ready ${scheme}://127.0.0.1:${port}`];
  });
  return [...prelude, ...lines].join('\n');
}
