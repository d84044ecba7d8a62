/** The resources the suite tests are read from openapi.yaml, not written into the runner. */
import { describe, expect, it } from 'vitest';
import { readContractDocument, type ContractDocument } from './document.js';
import { ResourceSet, versionOf } from './resources.js';

const doc = readContractDocument();

describe('the resources openapi.yaml describes', () => {
  it('are Backend in v1alpha2 then v1alpha, each version with its collection', () => {
    const set = ResourceSet.for(doc);
    expect(set.all.map(({ versions, ...r }) => ({ ...r, versions: versions.map((v) => `${v.name} ${v.apiVersion} ${v.collection}`) }))).toEqual([
      {
        id: 'backends.core.apoxy.dev', group: 'core.apoxy.dev', plural: 'backends', kind: 'Backend', listKind: 'BackendList',
        versions: ['v1alpha2 core.apoxy.dev/v1alpha2 /apis/core.apoxy.dev/v1alpha2/backends', 'v1alpha core.apoxy.dev/v1alpha /apis/core.apoxy.dev/v1alpha/backends'],
      },
    ]);
    expect(set.kinds).toEqual(new Set(['Backend', 'BackendList']));
    expect(set.get()).toBe(set.get('backends.core.apoxy.dev'));
    expect(set.get('backends')).toBe(set.get());
    expect(() => set.get('gadgets.example.apoxy.dev')).toThrow('openapi.yaml describes no resource gadgets.example.apoxy.dev (it has backends.core.apoxy.dev)');
    expect(() => versionOf(set.get(), 'v9')).toThrow('backends.core.apoxy.dev has no version v9 in openapi.yaml (it has v1alpha2, v1alpha)');
  });

  it('locate a path: its resource, version, object and subresource', () => {
    const set = ResourceSet.for(doc);
    expect(set.locate('/apis/core.apoxy.dev/v1alpha/backends')).toMatchObject({ version: { name: 'v1alpha' } });
    expect(set.locate('/apis/core.apoxy.dev/v1alpha/backends')!.name).toBeUndefined();
    expect(set.locate('/apis/core.apoxy.dev/v1alpha2/backends/a%2Fb/status')).toMatchObject({ version: { name: 'v1alpha2' }, name: 'a/b', subresource: 'status' });
    expect(set.locate('/apis/core.apoxy.dev/v9/backends/x')).toBeUndefined();
    expect(set.locate('/api/v1/namespaces')).toBeUndefined();
  });

  it('follow the document: a kind added there is a resource, with no code about it', () => {
    const gadgetList = (path: string, version: string) => ({
      operationId: `list${version}`, method: 'get' as const, path, action: 'list', gvk: { group: 'example.apoxy.dev', version, kind: 'Gadget' },
      responses: new Map([[200, new Map([['application/json', { $ref: '#/components/schemas/GadgetList' }]])]]),
    });
    const extended: ContractDocument = {
      ...doc,
      operations: [...doc.operations, gadgetList('/apis/example.apoxy.dev/v2/gadgets', 'v2'), gadgetList('/apis/example.apoxy.dev/v1/gadgets', 'v1')],
      schemas: { ...doc.schemas, GadgetList: { 'x-kubernetes-group-version-kind': [{ group: 'example.apoxy.dev', version: 'v2', kind: 'GadgetList' }] } },
    };
    const g = ResourceSet.for(extended).get('gadgets.example.apoxy.dev');
    expect(g).toMatchObject({ kind: 'Gadget', listKind: 'GadgetList', plural: 'gadgets' });
    expect(g.versions.map((v) => v.name)).toEqual(['v2', 'v1']); // the document's order: v2 is ${base}
    expect(ResourceSet.for(extended).objectsIn({ kind: 'Gadget', metadata: {} })).toHaveLength(1);
    expect(ResourceSet.for(extended).objectsIn({ kind: 'Status' })).toEqual([]);
  });
});
