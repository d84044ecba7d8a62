/**
 * The contract suite's own reading of openapi.yaml: each operation (method, path template,
 * operationId, x-kubernetes-action, the responses it declares) and the component schemas.
 *
 * It is deliberately not the emulator's reader (emulator/openapi/): the suite judges servers,
 * the emulator among them, so it depends on the document and on nothing the emulator builds
 * from it. contracts/boundary.test.ts fails if any file under contracts/ imports emulator/.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readShipped, shippedLocation } from '../../shipped/files.js';

export type Schema = Record<string, unknown>;

export interface ContractOperation {
  operationId: string;
  /** Lower case, as in the document. */
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Path template, e.g. /apis/core.apoxy.dev/v1alpha2/backends/{name}/status */
  path: string;
  /** x-kubernetes-action: get, list, post, put, patch, delete, deletecollection. */
  action: string;
  /** Declared response schemas by status code, then by content type. */
  responses: Map<number, Map<string, Schema>>;
  /** x-kubernetes-group-version-kind: the kind the operation serves. */
  gvk?: GroupVersionKind;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface ContractDocument {
  /** The file it was read from. */
  file: string;
  operations: ContractOperation[];
  /** components.schemas, as written. */
  schemas: Record<string, Schema>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Follows local `$ref`s (`#/components/responses/NotFound`) to what they name. */
function resolveRef(raw: Schema, value: unknown): Schema {
  let cur = value as Schema;
  for (let hops = 0; typeof cur?.$ref === 'string'; hops++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/') || hops > 20) throw new Error(`openapi.yaml: cannot follow $ref ${ref}`);
    const target = ref.slice(2).split('/').reduce<unknown>((o, p) => (o as Schema | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], raw);
    if (target === undefined) throw new Error(`openapi.yaml: unresolved $ref ${ref}`);
    cur = target as Schema;
  }
  return cur;
}

/** The package's openapi.yaml, or another document file. */
export function readContractDocument(path?: string): ContractDocument {
  const file = path ?? shippedLocation('openapi.yaml');
  const raw = parse(path ? readFileSync(path, 'utf8') : readShipped('openapi.yaml')) as Schema;
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries((raw.paths ?? {}) as Record<string, Schema>)) {
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const responses = new Map<number, Map<string, Schema>>();
      for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, unknown>)) {
        const content = (resolveRef(raw, r).content ?? {}) as Record<string, { schema?: Schema }>;
        responses.set(Number(code), new Map(Object.entries(content).filter(([, m]) => m.schema).map(([ct, m]) => [ct, m.schema!])));
      }
      const gvk = op['x-kubernetes-group-version-kind'] as GroupVersionKind | undefined;
      operations.push({ operationId: String(op.operationId ?? `${method} ${path}`), method, path, action: String(op['x-kubernetes-action'] ?? ''), responses, gvk });
    }
  }
  const schemas = ((raw.components as Schema | undefined)?.schemas ?? {}) as Record<string, Schema>;
  return { file, operations, schemas };
}
