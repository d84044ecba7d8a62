/**
 * The registry is the one list of checks: each is named, described in one line, lives in its
 * own file, and selection by name is what --checks / --exclude-checks do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_REGISTRY, RUN_ERRORS, selectChecks } from './registry.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const names = CHECK_REGISTRY.map((c) => c.name);

describe('the check registry', () => {
  it('lists each check once, snake_case, with a one-line description', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(14);
    for (const c of CHECK_REGISTRY) {
      expect(c.name).toMatch(/^[a-z]+(_[a-z]+)+$/);
      expect(c.description, c.name).toMatch(/^[^\n]{10,140}$/);
      expect(['contract', 'scenario']).toContain(c.source);
    }
    for (const e of Object.values(RUN_ERRORS)) expect(names).not.toContain(e);
  });

  it('has one file per check, named after it, defining that check and no other', () => {
    const files = readdirSync(HERE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !['index.ts', 'registry.ts', 'types.ts', 'response-schema.ts'].includes(f));
    expect(files.map((f) => f.replace(/\.ts$/, '').replaceAll('-', '_')).sort()).toEqual([...names].sort());
    for (const f of files) {
      const text = readFileSync(join(HERE, f), 'utf8');
      expect(text.match(/: Check = \{/g), f).toHaveLength(1);
      expect(text, f).toContain(`const NAME = '${f.replace(/\.ts$/, '').replaceAll('-', '_')}';`);
    }
  });

  it('selects as --checks and --exclude-checks say', () => {
    expect(selectChecks().map((c) => c.name)).toEqual(names);
    expect(selectChecks(['all']).map((c) => c.name)).toEqual(names);
    expect(selectChecks(['expected_body', 'not_a_server_error']).map((c) => c.name)).toEqual(['not_a_server_error', 'expected_body']); // the registry's order
    expect(selectChecks([], ['expected_body']).map((c) => c.name)).toEqual(names.filter((n) => n !== 'expected_body'));
    expect(selectChecks(['expected_body', 'expected_status'], ['expected_status']).map((c) => c.name)).toEqual(['expected_body']);
    expect(selectChecks([], ['all'])).toEqual([]);
    expect(() => selectChecks(['expected_bodies'])).toThrow(/unknown check "expected_bodies"; the checks are: not_a_server_error, .*, watch_events \(or all\)/);
  });
});
