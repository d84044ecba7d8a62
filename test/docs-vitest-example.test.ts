/**
 * The vitest example of docs/test-harnesses.md, run as written (in a child vitest, as a user runs
 * it): its snapshot is "identical in every run". Proven by writing the snapshot in a first run, then
 * running again with another test first that creates objects and moves the clock: the snapshot must
 * still match, which it does only if every reset re-seeds the random source, sets the clock back and
 * restarts the resourceVersion.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVitest, vitestDir } from './child-vitest.js';
import { ROOT } from './cli-process.js';

function example(): string {
  const doc = readFileSync(join(ROOT, 'docs/test-harnesses.md'), 'utf8');
  const block = /```ts\n(\/\/ backends\.test\.ts\n[\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/test-harnesses.md has no ```ts block starting with // backends.test.ts');
  return block[1].replace("from 'apoxy-emulator/testing'", `from ${JSON.stringify(join(ROOT, 'emulator/testing.ts'))}`);
}

// As in CI: a snapshot that does not match fails, none is written unless --update.
const CI = { CI: 'true' };

describe('the vitest example of docs/test-harnesses.md', () => {
  const { dir, cleanup } = vitestDir('apoxy-vitest-example-');
  afterAll(cleanup);
  const file = join(dir, 'backends.test.ts');
  const snapshot = join(dir, '__snapshots__', 'backends.test.ts.snap');

  it('passes as written, and its snapshot is identical after other tests ran first', async () => {
    const code = example();
    writeFileSync(file, code);
    const first = await runVitest(dir, ['--update'], CI);
    expect(first.out).toMatch(/Tests\s+2 passed/);
    expect(first.code, first.out).toBe(0);
    const written = readFileSync(snapshot, 'utf8');
    expect(written).toContain('"uid": "');
    expect(written).toContain('"creationTimestamp": "2026-01-01T00:00:00Z"');

    // A test before it that draws random numbers, moves the clock and bumps the resourceVersion.
    const first_ = "  it('creates a backend'";
    expect(code).toContain(first_);
    writeFileSync(file, code.replace(first_, `  it('runs first', async () => {
    for (const name of ['one', 'two']) await emu.client(B, { method: 'POST', body: { metadata: { generateName: name }, spec: {} } });
    emu.emulator.clock.advance(3_600_000);
  });

${first_}`));
    const second = await runVitest(dir, [], CI);
    expect(second.out).toMatch(/Tests\s+3 passed/);
    expect(second.code, second.out).toBe(0);
    expect(readFileSync(snapshot, 'utf8')).toBe(written);
  });
});
