/**
 * The Go and Python examples in the documentation are the harnesses' own tests, word for word:
 * harness/go/example_test.go and harness/python/tests/test_example.py run in go test and pytest.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-process.js';

function markdown(): string {
  const files = [join(ROOT, 'README.md')];
  const docs = join(ROOT, 'docs');
  if (existsSync(docs)) files.push(...readdirSync(docs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => join(docs, f)));
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('harness examples in the documentation', () => {
  const docs = markdown();

  it('the Go example is harness/go/example_test.go', () => {
    const file = readFileSync(join(ROOT, 'harness/go/example_test.go'), 'utf8');
    expect(codeBlocks(docs, 'go').map((b) => b.replace(/^\/\/ backends_test\.go\n/, ''))).toContain(file);
  });

  it('the Python example is harness/python/tests/test_example.py', () => {
    const file = readFileSync(join(ROOT, 'harness/python/tests/test_example.py'), 'utf8');
    expect(codeBlocks(docs, 'python')).toContain(file);
  });
});
