/**
 * The documentation stays true: the --help blocks are what the CLIs print, links lead somewhere,
 * the README's set-up commands exist, the suite's documented rules name what the code does, and
 * no shipped file names a path on somebody's machine.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_REGISTRY, RELAXED_UNDER_APOXY, RUN_ERRORS } from '../contracts/checks/index.js';
import { documentationFiles, helpOutput, ROOT, usageBlocks } from '../scripts/docs-usage.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const docs = documentationFiles();

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)) {
    out.add(m[1].toLowerCase().replace(/[`*]/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return out;
}

describe('the documentation', () => {
  it('shows the help texts exactly as the CLIs print them (npm run docs:usage rewrites them)', () => {
    const blocks = docs.flatMap((file) => usageBlocks(read(file)).map((b) => ({ file, ...b })));
    expect(blocks.map((b) => `${b.command} ${b.args.join(' ')}`).sort()).toEqual(['apoxy-contracts --help', 'apoxy-contracts --list-checks', 'apoxy-emulator --help']);
    for (const b of blocks) expect(b.shown, `${b.file}: ${b.command} ${b.args.join(' ')} (run npm run docs:usage)`).toBe(helpOutput(b.command, b.args));
  });

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const file of docs) {
      const text = read(file);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1];
        if (/^[a-z]+:/.test(link)) continue; // https:, mailto:
        const [path, anchor] = link.split('#');
        const target = path ? join(dirname(file), path) : file;
        if (!existsSync(join(ROOT, target))) broken.push(`${file}: ${link} (no file)`);
        else if (anchor && target.endsWith('.md') && !anchors(read(target)).has(anchor)) broken.push(`${file}: ${link} (no heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("keeps the README's two set-up commands true", () => {
    const setup = /In a clone of this repository, two commands set everything up:\n\n<!-- not run: [^\n]+ -->\n```sh\n([\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
    expect(setup.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm start', 'npm test']);
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts.start).toBe('node bin/apoxy-emulator.js serve');
    // npm test runs scripts/test-all.ts, which runs vitest, then the Go and Python suites.
    expect(scripts.test).toBe('node --import tsx scripts/test-all.ts');
    expect(read('scripts/test-all.ts')).toMatch(/'vitest', 'run'/);
    expect(scripts.prepare).toBe('npm run build'); // npm ci builds dist/, which npm start runs
  });

  it("names every check and every relaxed keyword of the contract suite where it documents them", () => {
    const suite = read('contracts/README.md');
    for (const check of [...CHECK_REGISTRY.map((c) => c.name), ...Object.values(RUN_ERRORS)]) expect(suite, check).toContain(check);
    const rule = suite.slice(suite.indexOf('## What a response is held to'), suite.indexOf('## Scenarios are data'));
    for (const k of RELAXED_UNDER_APOXY.keywords) expect(rule, k).toContain(`\`${k}\``);
    for (const f of RELAXED_UNDER_APOXY.formats) expect(rule, f).toContain(`\`format: ${f}\``);
  });

  it("ships no path of anybody's machine", () => {
    const shipped = [
      ...docs,
      'openapi.yaml',
      'package.json',
      ...['bin', 'emulator', 'contracts', 'fixtures'].flatMap((d) => filesUnder(d)),
    ];
    const machinePath = /(^|[\s"'(])(\/work\/|\/home\/[a-z]|\/Users\/|\/root\/|[A-Z]:\\Users\\)/m;
    expect(machinePath.test('# Sources (see /home/alice/apoxy/reference):')).toBe(true);
    expect(shipped.length).toBeGreaterThan(100);
    expect(shipped.filter((f) => machinePath.test(read(f)))).toEqual([]);
  });
});

/** Every file under a folder (relative paths), tests and fixtures of tests included. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(ROOT.length).replace(/^\//, ''));
}
