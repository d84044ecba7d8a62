import { describe, expect, it } from 'vitest';
import { conflictError, mergeApplied, parseAppliedConfiguration, printPath } from './apply.js';
import { SEP, type ListTypes } from './managed-fields.js';
import type { ManagedFieldsEntry } from '../resources/types.js';

const lists: ListTypes = new Map([['status.conditions', { type: 'map', keys: ['type'] }]]);
const owner = (manager: string, operation: 'Apply' | 'Update' = 'Apply'): ManagedFieldsEntry => ({ manager, operation, apiVersion: 'g/v1', fieldsType: 'FieldsV1', fieldsV1: {} });

describe('apply helpers', () => {
  it('prints paths as structured-merge-diff does', () => {
    expect(printPath(`f:spec${SEP}f:protocol`)).toBe('.spec.protocol');
    expect(printPath(`f:status${SEP}f:conditions${SEP}k:{"type":"Ready"}${SEP}f:status`)).toBe('.status.conditions[type="Ready"].status');
    expect(printPath(`f:metadata${SEP}f:finalizers${SEP}v:"x"`)).toBe('.metadata.finalizers[="x"]');
  });

  it('merges maps recursively, map lists by key, other lists wholesale', () => {
    const live = { spec: { a: 1, list: [1, 2] }, status: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'False' }] } };
    const applied = { spec: { b: 2, list: [3] }, status: { conditions: [{ type: 'B', status: 'True' }, { type: 'C', status: 'True' }] } };
    expect(mergeApplied(live, applied, lists)).toEqual({
      spec: { a: 1, b: 2, list: [3] },
      status: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'True' }, { type: 'C', status: 'True' }] },
    });
  });

  it('conflict messages: one, and several grouped by sorted manager', () => {
    const one = conflictError([{ owner: owner('kubectl-client-side-apply', 'Update'), path: `f:spec${SEP}f:protocol` }]);
    expect(one.status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using g/v1: .spec.protocol');
    const many = conflictError([
      { owner: { ...owner('b'), subresource: 'status' }, path: `f:status${SEP}f:x` },
      { owner: owner('a'), path: `f:spec${SEP}f:y` },
      { owner: owner('a'), path: `f:spec${SEP}f:x` },
    ]);
    expect(many.status.message).toBe('Apply failed with 3 conflicts: conflicts with "a":\n- .spec.x\n- .spec.y\nconflicts with "b" with subresource "status":\n- .status.x');
    expect(many.status.code).toBe(409);
  });

  it('checks version before managedFields, and the kind', () => {
    const raw = (s: string) => Buffer.from(s);
    expect(() => parseAppliedConfiguration(raw('kind: K\nmetadata: {managedFields: []}'), 'g/v1', 'K')).toThrow('Incorrect version specified in apply patch. Specified patch version: , expected: g/v1');
    expect(() => parseAppliedConfiguration(raw('apiVersion: g/v1\nkind: K\nmetadata: {managedFields: []}'), 'g/v1', 'K')).toThrow('metadata.managedFields must be nil');
    expect(() => parseAppliedConfiguration(raw('apiVersion: g/v1\nkind: Other'), 'g/v1', 'K')).toThrow('invalid object type: g/v1, Kind=Other');
    expect(parseAppliedConfiguration(raw('{"apiVersion":"g/v1","kind":"K","spec":{"x":null,"y":1}}'), 'g/v1', 'K')).toEqual({ apiVersion: 'g/v1', kind: 'K', spec: { y: 1 } });
  });
});
