/**
 * The Go and Python suites of harness/, run as npm test runs them: each counted test by test
 * (go test -json events, pytest's JUnit report), each skipped with a notice when its toolchain is
 * missing, which CI=true turns into a failure.
 */
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Why the suite did not run (toolchain missing), when it did not. */
  notRun?: string;
}

const CI = !!process.env.CI && process.env.CI !== 'false';

export function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** A suite whose toolchain is missing: a notice, or with CI=true one failure. */
function missing(name: string, why: string): SuiteResult {
  const line = CI ? `*** ${name} FAILED: ${why} (CI=true requires it) ***` : `*** ${name} SKIPPED: ${why} (with CI=true this is a failure) ***`;
  process.stdout.write(`\n${line}\n\n`);
  return { name, passed: 0, failed: CI ? 1 : 0, skipped: 0, notRun: why };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'inherit' });
  return r.status ?? 1;
}

interface GoEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

/** go test -json ./... in harness/go: every test and subtest counted; failing tests' output printed. */
export async function goSuite(root: string): Promise<SuiteResult> {
  const name = 'go test (harness/go)';
  const go = onPath('go');
  if (!go) return missing(name, 'go is not on PATH');
  const result: SuiteResult = { name, passed: 0, failed: 0, skipped: 0 };
  const output = new Map<string, string[]>();
  const child = spawn(go, ['test', '-json', '-count=1', '-timeout', '15m', './...'], { cwd: join(root, 'harness/go'), stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    let ev: GoEvent;
    try {
      ev = JSON.parse(line) as GoEvent;
    } catch {
      process.stdout.write(line + '\n'); // build errors come as plain text
      continue;
    }
    const key = `${ev.Package} ${ev.Test ?? ''}`;
    if (ev.Action === 'output' && ev.Output) {
      if (!ev.Test && /^(ok|FAIL|---|PASS|panic)/.test(ev.Output)) process.stdout.write(ev.Output);
      const lines = output.get(key) ?? [];
      lines.push(ev.Output);
      output.set(key, lines);
    }
    if (!ev.Test) continue;
    if (ev.Action === 'pass') result.passed++;
    else if (ev.Action === 'skip') result.skipped++;
    else if (ev.Action === 'fail') {
      result.failed++;
      process.stdout.write((output.get(key) ?? []).join(''));
    }
  }
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  // A package that failed to build or crashed has no failing test to count: count it once.
  if (code !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

/**
 * The interpreter of .venv, with harness/python/requirements.txt installed. A stamp of the
 * requirements' hash is written once pip has finished, so a venv whose install was interrupted,
 * or made from other requirements, is brought in line rather than used half-made.
 */
function pythonEnv(root: string, python3: string): string | undefined {
  const venv = join(root, '.venv');
  const py = join(venv, 'bin', 'python');
  const stamp = join(venv, 'apoxy-requirements.sha256');
  const wanted = createHash('sha256').update(readFileSync(join(root, 'harness/python/requirements.txt'))).digest('hex');
  const current = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (current !== wanted) {
    process.stdout.write(`installing harness/python/requirements.txt into ${venv}${existsSync(py) ? ' (its requirements changed, or their install did not finish)' : ''}\n`);
    if (!existsSync(py) && run(python3, ['-m', 'venv', venv], root) !== 0) return undefined;
    if (run(py, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', 'harness/python/requirements.txt'], root) !== 0) return undefined;
    writeFileSync(stamp, wanted + '\n');
  }
  // The harness itself, as a user installs it (not editable), so its tests test its current files.
  const install = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-build-isolation', '--force-reinstall', './harness/python'];
  return run(py, install, root) === 0 ? py : undefined;
}

/** pytest harness/python/tests (the Schemathesis runs included), counted from its JUnit report. */
export function pythonSuite(root: string): SuiteResult {
  const name = 'pytest (harness/python)';
  const python3 = process.env.APOXY_PYTHON ?? onPath('python3');
  if (!python3) return missing(name, 'python3 is not on PATH');
  const py = pythonEnv(root, python3);
  if (!py) return { name, passed: 0, failed: 1, skipped: 0, notRun: 'the Python environment could not be made' };
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-pytest-'));
  const junit = join(dir, 'junit.xml');
  try {
    const code = run(py, ['-m', 'pytest', '-p', 'no:cacheprovider', '-rfE', `--junitxml=${junit}`, 'tests'], join(root, 'harness/python'));
    if (!existsSync(junit)) return { name, passed: 0, failed: 1, skipped: 0 };
    const xml = readFileSync(junit, 'utf8');
    const attr = (a: string) => Number(new RegExp(`<testsuite[^>]*\\s${a}="(\\d+)"`).exec(xml)?.[1] ?? 0);
    const failed = attr('failures') + attr('errors');
    const skipped = attr('skipped');
    const result = { name, passed: attr('tests') - failed - skipped, failed, skipped };
    // pytest exits 5 when it collected nothing: a suite that ran no test is a failure here.
    if (code !== 0 && result.failed === 0) result.failed = 1;
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
