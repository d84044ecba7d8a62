import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../resources/types.js';
import { defaultManager, fromFieldsV1, leaves, mapKey, SEP, toFieldsV1, updateManagedFields, type ListTypes } from './managed-fields.js';

const lists: ListTypes = new Map([
  ['status.conditions', { type: 'map', keys: ['type'] }],
  ['metadata.finalizers', { type: 'set' }],
]);

const obj = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'g/v1', kind: 'K', metadata: { name: 'n', uid: 'u', resourceVersion: '1' }, spec, ...extra }) as KubeObject;

describe('field paths', () => {
  it('skips server-owned metadata and empty structs; lists are atomic unless typed', () => {
    const o = obj({ endpoints: [{ fqdn: 'a' }], protocol: 'h2' }, { status: {} });
    expect([...leaves(o, lists).keys()]).toEqual([`f:spec${SEP}f:endpoints`, `f:spec${SEP}f:protocol`]);
  });

  it('map lists are addressed by key, sets by value', () => {
    const o = obj({}, { metadata: { name: 'n', finalizers: ['x'] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    expect([...leaves(o, lists).keys()]).toEqual([
      `f:metadata${SEP}f:finalizers${SEP}v:"x"`,
      `f:status${SEP}f:conditions${SEP}k:{"type":"Ready"}${SEP}f:type`,
      `f:status${SEP}f:conditions${SEP}k:{"type":"Ready"}${SEP}f:status`,
    ]);
    expect(mapKey({ protocol: 'TCP', port: 80 }, ['protocol', 'port'])).toBe('k:{"port":80,"protocol":"TCP"}');
  });

  it('FieldsV1 rendering round-trips', () => {
    const paths = [`f:metadata${SEP}f:labels${SEP}f:a`, `f:spec${SEP}f:protocol`];
    const f = toFieldsV1(paths);
    expect(f).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { '.': {}, 'f:protocol': {} } });
    expect([...fromFieldsV1(f)].sort()).toEqual(paths);
  });

  it('defaultManager takes the User-Agent up to "/"', () => {
    expect(defaultManager('kubectl/v1.33.1 (linux/amd64)')).toBe('kubectl');
    expect(defaultManager(undefined)).toBe('');
    expect(defaultManager('my\u0007tool/1.0')).toBe('mytool');
    expect(defaultManager('x'.repeat(200))).toHaveLength(128);
  });
});

describe('updateManagedFields', () => {
  const w = (manager: string) => ({ manager, operation: 'Update' as const, apiVersion: 'g/v1', time: '2026-01-01T00:00:00Z' });

  it('a writer takes over the fields it changed; fields that disappear are dropped', () => {
    const before = obj({ protocol: 'h2', endpoints: [] });
    before.metadata.managedFields = updateManagedFields(before, undefined, w('a'));
    const after = obj({ protocol: 'tls' });
    const mf = updateManagedFields(after, before, w('b'));
    expect(mf.map((e) => [e.manager, [...fromFieldsV1(e.fieldsV1)]])).toEqual([['b', [`f:spec${SEP}f:protocol`]]]);
  });
});
