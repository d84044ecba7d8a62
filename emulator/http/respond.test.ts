import { describe, expect, it } from 'vitest';
import { serialize } from './respond.js';

/** A frozen object that counts how often its JSON is encoded (each encoding reads `metadata`). */
function counted(name: string) {
  let encodings = 0;
  const metadata = Object.freeze({ name });
  const obj = Object.freeze({
    kind: 'Backend',
    get metadata() {
      encodings++;
      return metadata;
    },
    spec: Object.freeze({ endpoints: null }),
  });
  return { obj, encodings: () => encodings };
}

describe('serialize', () => {
  it('writes exactly what JSON.stringify writes, plus the newline the Go encoder ends with', () => {
    const obj = Object.freeze({ kind: 'Backend', metadata: Object.freeze({ name: 'a"b' }), spec: Object.freeze({ endpoints: null }) });
    const list = { kind: 'BackendList', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '7', continue: 'tok' }, items: [obj, { x: [1, { y: 2 }] }] };
    expect(serialize(obj, 'json', false)).toBe(JSON.stringify(obj) + '\n');
    expect(serialize(list, 'json', false)).toBe(JSON.stringify(list) + '\n');
    expect(serialize({ items: [] }, 'json', false)).toBe('{"items":[]}\n');
    expect(serialize(list, 'json', true)).toBe(JSON.stringify(list, null, 2) + '\n');
  });

  it('encodes a frozen (stored) object once, whether sent alone or as a list item', () => {
    const { obj, encodings } = counted('web');
    const text = JSON.stringify({ kind: 'Backend', metadata: { name: 'web' }, spec: { endpoints: null } });
    expect(serialize(obj, 'json', false)).toBe(text + '\n');
    expect(encodings()).toBe(1);
    expect(serialize(obj, 'json', false)).toBe(text + '\n');
    expect(serialize({ kind: 'BackendList', items: [obj, obj] }, 'json', false)).toBe(`{"kind":"BackendList","items":[${text},${text}]}\n`);
    expect(encodings()).toBe(1); // reused three times
  });

  it('encodes an object that is not frozen every time: what changed is what is sent', () => {
    const status: Record<string, unknown> = { kind: 'Status', message: 'first' };
    expect(serialize(status, 'json', false)).toBe('{"kind":"Status","message":"first"}\n');
    status.message = 'second';
    expect(serialize(status, 'json', false)).toBe('{"kind":"Status","message":"second"}\n');
    const item: Record<string, unknown> = { name: 'a' };
    const list = { items: [item] };
    expect(serialize(list, 'json', false)).toBe('{"items":[{"name":"a"}]}\n');
    item.name = 'b';
    expect(serialize(list, 'json', false)).toBe('{"items":[{"name":"b"}]}\n');
  });
});
