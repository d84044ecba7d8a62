/**
 * The CLIs' help texts live once, in code (emulator/cli.ts, contracts/main.ts). The docs show
 * them between markers:
 *
 *   <!-- usage: apoxy-emulator --help -->
 *   ```text
 *   ...the output...
 *   ```
 *   <!-- /usage -->
 *
 * `npm run docs:usage` rewrites every such block with what the command prints now;
 * test/docs.test.ts fails when a block differs from it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The CLIs by their command name, run from the sources. */
const SOURCES: Record<string, string> = {
  'apoxy-emulator': 'emulator/cli.ts',
  'apoxy-contracts': 'contracts/cli.ts',
};

/** Markdown files that may hold usage blocks: the README, docs/ and contracts/README.md. */
export function documentationFiles(): string[] {
  return ['README.md', 'contracts/README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
}

const BLOCK = /<!-- usage: (\S+) ([^>]*?) -->\n```text\n([\s\S]*?)```\n<!-- \/usage -->/g;

export interface UsageBlock {
  command: string;
  args: string[];
  shown: string;
}

export function usageBlocks(markdown: string): UsageBlock[] {
  return [...markdown.matchAll(BLOCK)].map((m) => ({ command: m[1], args: m[2].split(' ').filter(Boolean), shown: m[3] }));
}

/** What the command prints, run from the sources (so it is the code in this tree, built or not). */
export function helpOutput(command: string, args: string[]): string {
  const source = SOURCES[command];
  if (!source) throw new Error(`no CLI named ${command}`);
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  return execFileSync(process.execPath, ['--import', tsx, join(ROOT, source), ...args], { cwd: ROOT, encoding: 'utf8' });
}

function rewrite(file: string): boolean {
  const path = join(ROOT, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(BLOCK, (_m, command: string, args: string) => {
    return `<!-- usage: ${command} ${args} -->\n\`\`\`text\n${helpOutput(command, args.split(' ').filter(Boolean))}\`\`\`\n<!-- /usage -->`;
  });
  if (after !== before) writeFileSync(path, after);
  return after !== before;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of documentationFiles()) if (rewrite(file)) process.stdout.write(`updated ${file}\n`);
}
