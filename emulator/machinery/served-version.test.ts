/**
 * Conversion between a served version and the storage version: stored (frozen) objects convert
 * once and the same frozen copy answers again (so its JSON is reused too); objects being built
 * convert fresh; the storage version costs nothing.
 */
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../openapi/document.js';
import { compileValidators } from '../openapi/validators.js';
import { backend } from '../resources/backend/index.js';
import type { KubeObject } from '../resources/types.js';
import { deepFreeze } from '../store/index.js';
import { readKindSchema } from './kind-schema.js';
import { ServedVersion } from './served-version.js';

const doc = loadDocument();
const validators = compileValidators(doc);
const [v1alpha2, v1alpha] = backend.versions.map((v) => {
  const codec = validators.codec({ group: backend.group, version: v.name, kind: backend.kind });
  return new ServedVersion(backend, v, codec, readKindSchema(doc.schemas, codec.schemaKey, backend.goPointers), 'apoxy');
});

const stored = (): KubeObject => ({ kind: 'Backend', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { name: 'a', resourceVersion: '3' }, spec: { endpoints: null, protocol: '' }, status: {} });

describe('ServedVersion', () => {
  it('the storage version is the identity, both ways', () => {
    const o = deepFreeze(stored());
    expect(v1alpha2.isStorage).toBe(true);
    expect(v1alpha2.fromStorage(o)).toBe(o);
    expect(v1alpha2.present(o)).toBe(o);
  });

  it('a stored object converts once: the same frozen copy every time, the original untouched', () => {
    const o = deepFreeze(stored());
    const first = v1alpha.fromStorage(o);
    expect(first).toEqual({ ...o, apiVersion: 'core.apoxy.dev/v1alpha', spec: { endpoints: [], protocol: '' } });
    expect(Object.keys(first)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(v1alpha.fromStorage(o)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.spec)).toBe(true);
    expect(o.spec).toEqual({ endpoints: null, protocol: '' });
    // A newer stored object is another key: converted afresh.
    expect(v1alpha.fromStorage(deepFreeze(stored()))).not.toBe(first);
  });

  it('an object not stored (a dry run, a DELETED built per watcher) converts fresh each time', () => {
    const o = stored();
    expect(v1alpha.fromStorage(o)).not.toBe(v1alpha.fromStorage(o));
    expect(Object.isFrozen(v1alpha.fromStorage(o))).toBe(false);
  });

  it('present converts objects and list items and leaves a Status alone', () => {
    const o = deepFreeze(stored());
    const list = { kind: 'BackendList', apiVersion: 'core.apoxy.dev/v1alpha2', metadata: { resourceVersion: '3' }, items: [o] };
    expect(v1alpha.present(list)).toEqual({ ...list, apiVersion: 'core.apoxy.dev/v1alpha', items: [v1alpha.fromStorage(o)] });
    expect(v1alpha.present(list).items[0]).toBe(v1alpha.fromStorage(o));
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
    expect(v1alpha.present(status)).toBe(status);
  });

  it('toStorage converts in place: endpoints null become [], apiVersion the storage one', () => {
    const o = { ...stored(), apiVersion: 'core.apoxy.dev/v1alpha' };
    expect(v1alpha.toStorage(o)).toBe(o);
    expect(o).toMatchObject({ apiVersion: 'core.apoxy.dev/v1alpha2', spec: { endpoints: [] } });
  });
});
