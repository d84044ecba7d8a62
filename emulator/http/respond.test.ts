import { describe, expect, it } from 'vitest';
import { serialize } from './respond.js';

describe('serialize', () => {
  it('writes exactly what JSON.stringify writes, plus the newline the Go encoder ends with', () => {
    const obj = Object.freeze({ kind: 'Backend', metadata: Object.freeze({ name: 'a"b' }), spec: Object.freeze({ endpoints: null }) });
    const list = { kind: 'BackendList', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '7', continue: 'tok' }, items: [obj, { x: [1, { y: 2 }] }] };
    expect(serialize(obj, 'json', false)).toBe(JSON.stringify(obj) + '\n');
    expect(serialize(obj, 'json', false)).toBe(JSON.stringify(obj) + '\n'); // from the cache
    expect(serialize(list, 'json', false)).toBe(JSON.stringify(list) + '\n');
    expect(serialize({ items: [] }, 'json', false)).toBe('{"items":[]}\n');
    expect(serialize(list, 'json', true)).toBe(JSON.stringify(list, null, 2) + '\n');
  });
});
