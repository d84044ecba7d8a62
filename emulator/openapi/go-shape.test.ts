import { describe, expect, it } from 'vitest';
import { loadDocument } from './document.js';
import { goShapeOf, META_V1_POINTERS } from './go-shape.js';
import { backend } from '../resources/backend/index.js';

const doc = loadDocument();
const key = doc.schemaKeyForKind({ group: 'core.apoxy.dev', version: 'v1alpha2', kind: 'Backend' });
const shape = goShapeOf(doc.schemas, key, { ...META_V1_POINTERS, ...backend.goPointers });
const shaped = (o: Record<string, unknown>) => {
  shape(o);
  return o;
};

describe('goShapeOf: the JSON Go writes, from the schema', () => {
  it('writes the zero value of fields without omitempty and of value structs; drops empty omitempty fields', () => {
    // creationTimestamp is a metav1.Time value: never omitted, its zero value written as null.
    expect(shaped({ metadata: { name: 'a', labels: {}, generation: 0, uid: '' } })).toEqual({ metadata: { name: 'a', creationTimestamp: null }, spec: { endpoints: null, protocol: '' }, status: {} });
    expect(shaped({ metadata: null, spec: null, status: null })).toEqual({ metadata: { creationTimestamp: null }, spec: { endpoints: null, protocol: '' }, status: {} });
  });

  it('inside lists: a null element is the element type zero value; a condition gets reason, message and a null lastTransitionTime', () => {
    const o = shaped({ metadata: {}, spec: { endpoints: [null, { fqdn: '' }] }, status: { conditions: [{ type: 'Ready', status: 'True', observedGeneration: 0 }] } });
    expect(o.spec).toEqual({ endpoints: [{}, {}], protocol: '' });
    expect(o.status).toEqual({ conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: null, reason: '', message: '' }] });
  });

  it('pointers: nil is omitted, an empty target is kept', () => {
    const o = shaped({ metadata: { creationTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0, ownerReferences: [{ uid: 'u', controller: false }] }, spec: { dynamicProxy: { dnsCacheConfig: { maxHosts: 0, dnsLookupFamily: '' } } } });
    expect(o.metadata).toEqual({ creationTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0, ownerReferences: [{ uid: 'u', controller: false, apiVersion: '', kind: '', name: '' }] });
    expect((o.spec as Record<string, unknown>).dynamicProxy).toEqual({ dnsCacheConfig: { maxHosts: 0 } });
    expect((shaped({ metadata: {}, spec: { dynamicProxy: null } }).spec as Record<string, unknown>)).toEqual({ endpoints: null, protocol: '' });
  });

  it('leaves fields the schema does not declare, and opaque values, as they are', () => {
    const fieldsV1 = { 'f:spec': {} };
    const o = shaped({ metadata: { creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'm', fieldsV1, subresource: '' }] }, extra: '' });
    expect(o.metadata).toEqual({ creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'm', fieldsV1 }] });
    expect(o.extra).toBe('');
  });
});
