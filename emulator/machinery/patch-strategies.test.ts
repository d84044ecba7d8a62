import { describe, expect, it } from 'vitest';
import { loadDocument } from '../openapi/document.js';
import { patchMetaOf } from './patch-strategies.js';
import { applyMergePatch, applyStrategicMergePatch, PatchApplyError } from './strategic-merge.js';

const doc = loadDocument();
const backendKey = doc.schemaKeyForKind({ group: 'core.apoxy.dev', version: 'v1alpha2', kind: 'Backend' });
const meta = patchMetaOf(doc.schemas, backendKey);
const smp = (original: unknown, patch: unknown) => applyStrategicMergePatch(original, patch, meta);

function patchError(fn: () => unknown): PatchApplyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchApplyError) return e;
    throw e;
  }
  throw new Error('expected a PatchApplyError');
}

const owner = (uid: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${uid}`, uid, ...extra });

describe('patch strategies read from openapi.yaml', () => {
  it('ObjectMeta: finalizers merge, ownerReferences merge by uid; Backend declares none', () => {
    const metadata = meta.field('metadata')!;
    expect(metadata.strategies).toEqual([]);
    expect(metadata.meta.field('finalizers')).toMatchObject({ strategies: ['merge'], mergeKey: '' });
    expect(metadata.meta.field('ownerReferences')).toMatchObject({ strategies: ['merge'], mergeKey: 'uid' });
    expect(metadata.meta.field('labels')).toMatchObject({ strategies: [], mergeKey: '' });
    const spec = meta.field('spec')!.meta;
    expect(spec.field('endpoints')).toMatchObject({ strategies: [], mergeKey: '' });
    expect(meta.field('status')!.meta.field('conditions')).toMatchObject({ strategies: [], mergeKey: '' });
    // A struct has only its fields; a map has any key.
    expect(spec.field('nope')).toBeUndefined();
    expect(metadata.meta.field('labels')!.meta.field('any-key')).toBeDefined();
  });
});

describe('strategic merge patch by the schema: metadata.finalizers (merge, primitives)', () => {
  const withFinalizers = (f: string[]) => ({ metadata: { name: 'b', finalizers: f }, spec: { protocol: 'h2' } });

  it('adds the patch items to the stored ones; new items come first, as upstream orders them', () => {
    expect(smp(withFinalizers(['a']), { metadata: { finalizers: ['b'] } })).toEqual(withFinalizers(['b', 'a']));
    // Under a JSON merge patch the list is replaced.
    expect(applyMergePatch(withFinalizers(['a']), { metadata: { finalizers: ['b'] } })).toEqual(withFinalizers(['b']));
  });

  it('drops duplicates and keeps the server order of items it already had', () => {
    expect(smp(withFinalizers(['a', 'b']), { metadata: { finalizers: ['b', 'c'] } })).toEqual(withFinalizers(['a', 'b', 'c']));
    expect(smp(withFinalizers(['a', 'b']), { metadata: { finalizers: ['a'] } })).toEqual(withFinalizers(['a', 'b']));
    expect(smp(withFinalizers(['x']), { metadata: { finalizers: ['p', 'p', 'q'] } })).toEqual(withFinalizers(['p', 'q', 'x']));
  });

  it('a missing list takes the patch; null removes the list', () => {
    expect(smp({ metadata: { name: 'b' } }, { metadata: { finalizers: ['a'] } })).toEqual({ metadata: { name: 'b', finalizers: ['a'] } });
    expect(smp(withFinalizers(['a']), { metadata: { finalizers: null } })).toEqual({ metadata: { name: 'b' }, spec: { protocol: 'h2' } });
  });

  it('$deleteFromPrimitiveList/finalizers removes items, together with additions', () => {
    expect(smp(withFinalizers(['a', 'b', 'c']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zz'] } })).toEqual(withFinalizers(['a', 'c']));
    expect(smp(withFinalizers(['a', 'b']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } })).toEqual(withFinalizers(['c', 'b']));
  });

  it('$setElementOrder/finalizers merges and orders the list', () => {
    const out = smp(withFinalizers(['a', 'b']), { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } });
    expect(out).toEqual(withFinalizers(['c', 'b', 'a']));
    // An order list alone reorders what is there.
    expect(smp(withFinalizers(['a', 'b']), { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } })).toEqual(withFinalizers(['b', 'a']));
  });
});

describe('strategic merge patch by the schema: metadata.ownerReferences (merge by uid)', () => {
  const withOwners = (o: unknown[]) => ({ metadata: { name: 'b', ownerReferences: o } });

  it('merges an entry with the same uid and adds new ones', () => {
    expect(smp(withOwners([owner('1')]), { metadata: { ownerReferences: [{ uid: '1', controller: true }] } })).toEqual(withOwners([owner('1', { controller: true })]));
    expect(smp(withOwners([owner('1')]), { metadata: { ownerReferences: [owner('2')] } })).toEqual(withOwners([owner('2'), owner('1')]));
  });

  it('$patch: delete inside an entry removes it; $patch: replace replaces the list', () => {
    expect(smp(withOwners([owner('1'), owner('2')]), { metadata: { ownerReferences: [{ uid: '1', $patch: 'delete' }] } })).toEqual(withOwners([owner('2')]));
    expect(smp(withOwners([owner('1'), owner('2')]), { metadata: { ownerReferences: [{ $patch: 'replace' }, owner('3')] } })).toEqual(withOwners([owner('3')]));
  });

  it('$setElementOrder/ownerReferences orders entries by uid', () => {
    const out = smp(withOwners([owner('1'), owner('2')]), { metadata: { '$setElementOrder/ownerReferences': [{ uid: '2' }, { uid: '1' }], ownerReferences: [{ uid: '1', controller: true }] } });
    expect(out).toEqual(withOwners([owner('2'), owner('1', { controller: true })]));
  });

  it('errors as upstream does: an entry without its merge key, `$patch: merge`, a list of scalars', () => {
    const noKey = patchError(() => smp(withOwners([owner('1')]), { metadata: { ownerReferences: [{ name: 'x' }] } }));
    expect([noKey.code, noKey.message]).toEqual([500, 'map: map[name:x] does not contain declared merge key: uid']);
    const merge = patchError(() => smp(withOwners([owner('1')]), { metadata: { ownerReferences: [{ uid: '1', $patch: 'merge' }] } }));
    expect([merge.code, merge.message]).toEqual([500, 'merging lists cannot yet be specified in the patch']);
    const mixed = patchError(() => smp(withOwners([owner('1')]), { metadata: { ownerReferences: ['x'] } }));
    expect(mixed.code).toBe(500);
    expect(mixed.message).toMatch(/^list element types are not identical/);
  });
});

describe("strategic merge patch by the schema: Backend's own lists keep being replaced", () => {
  it('spec.endpoints and status.conditions are replaced; labels merge as a map', () => {
    const original = { metadata: { name: 'b', labels: { a: '1' } }, spec: { endpoints: [{ fqdn: 'a.com' }, { ip: '10.0.0.1' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    const out = smp(original, { metadata: { labels: { b: '2' } }, spec: { endpoints: [{ fqdn: 'b.com' }] }, status: { conditions: [{ type: 'Synced', status: 'False' }] } });
    expect(out).toEqual({ metadata: { name: 'b', labels: { a: '1', b: '2' } }, spec: { endpoints: [{ fqdn: 'b.com' }] }, status: { conditions: [{ type: 'Synced', status: 'False' }] } });
  });

  it('$deleteFromPrimitiveList on a list of maps without a merge key is upstream 500', () => {
    const e = patchError(() => smp({ spec: { endpoints: [{ fqdn: 'a.com' }] } }, { spec: { '$deleteFromPrimitiveList/endpoints': [{ fqdn: 'a.com' }] } }));
    expect([e.code, e.message]).toEqual([500, 'cannot merge lists without merge key for struct']);
  });

  it('$setElementOrder for a field the struct does not have is upstream 500', () => {
    const e = patchError(() => smp({ spec: { endpoints: [] } }, { spec: { '$setElementOrder/nope': ['a'] } }));
    expect([e.code, e.message]).toEqual([500, 'unable to find api field in struct BackendSpec for the json field "nope"']);
  });
});
