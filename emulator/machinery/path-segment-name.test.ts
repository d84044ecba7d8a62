import { describe, it, expect } from 'vitest';
import { validatePathSegmentName } from './path-segment-name.js';

describe('validatePathSegmentName (upstream path/name_test.go)', () => {
  const cases: [string, boolean, string[]][] = [
    ['', false, []],
    ['a', false, []],
    ['dynamic_forward_proxy', false, []],
    ['MyBackend', false, []],
    ['.', false, ["may not be '.'"]],
    ['..', false, ["may not be '..'"]],
    ['...', false, []],
    ['.a', false, []],
    ['a/b', false, ["may not contain '/'"]],
    ['a%b', false, ["may not contain '%'"]],
    ['/%', false, ["may not contain '/'", "may not contain '%'"]],
    ['%/', false, ["may not contain '/'", "may not contain '%'"]],
    ['.', true, []],
    ['..', true, []],
    ['a/', true, ["may not contain '/'"]],
    ['a%', true, ["may not contain '%'"]],
    ['foo-', true, []],
  ];
  it.each(cases)('%j prefix=%s', (name, prefix, want) => {
    expect(validatePathSegmentName(name, prefix)).toEqual(want);
  });
});
