/**
 * Server-side printing (meta.k8s.io Table) from a resource's column definitions, as
 * k8s.io/apiserver endpoints/handlers/response.go frames it: rows carry PartialObjectMetadata
 * by default, the whole object with includeObject=Object, nothing with None. Cells are computed
 * on storage-version objects; a whole row object is converted to the request's version.
 */
import type { KubeObject, ResourceDefinition } from '../resources/types.js';
import { errors } from './status.js';

export type IncludeObject = 'Metadata' | 'Object' | 'None';

export function parseIncludeObject(v: unknown): IncludeObject {
  if (v === undefined || v === '') return 'Metadata';
  if (v === 'Metadata' || v === 'Object' || v === 'None') return v;
  throw errors.badRequest(`unrecognized includeObject value: ${JSON.stringify(v)}`);
}

export interface TableBody {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: unknown[] | null;
  rows: { cells: unknown[]; object?: unknown }[];
}

function rowObject(obj: KubeObject, include: IncludeObject, tableVersion: string, present: (o: KubeObject) => KubeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return present(obj);
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${tableVersion}`, metadata: obj.metadata };
}

export function toTable(
  def: ResourceDefinition,
  objects: KubeObject[],
  listMeta: TableBody['metadata'],
  opts: { include: IncludeObject; version: string; now: Date; withColumns?: boolean; present?: (o: KubeObject) => KubeObject },
): TableBody {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: listMeta,
    columnDefinitions: opts.withColumns === false ? null : def.table.columns,
    rows: objects.map((o) => {
      const row: { cells: unknown[]; object?: unknown } = { cells: def.table.cells(o, opts.now) };
      const object = rowObject(o, opts.include, opts.version, opts.present ?? ((x) => x));
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}
