/**
 * Gives the test run one folder for the packed package (test/packed.ts): the first test file
 * that needs the package packs and installs it there, the others reuse it. Nothing is packed
 * here, so a run that needs no package pays nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'apoxy-packed-'));
  project.provide('packageRunDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
