/**
 * The resources the suite tests, as openapi.yaml describes them: for each, its group, kind, list
 * kind, plural and the versions it is served in, each with its collection path. Nothing here
 * names Backend: a resource is every `list` operation on a cluster-scoped collection path
 * (`/apis/<group>/<version>/<plural>`) that carries `x-kubernetes-group-version-kind`, so a
 * resource or version added to the document is tested without runner changes.
 *
 * Versions are kept in the order the document lists them; the first is the resource's default
 * (`${base}` in scenarios), the others are reached with `${base:<version>}`.
 */
import type { ContractDocument, Schema } from './document.js';

export interface ServedVersion {
  /** e.g. v1alpha2 */
  name: string;
  /** `<group>/<version>`, what objects of this version carry in apiVersion. */
  apiVersion: string;
  /** The collection path, e.g. /apis/core.apoxy.dev/v1alpha2/backends */
  collection: string;
}

export interface ContractResource {
  /** `<plural>.<group>`, how scenarios name it (`resource:`). */
  id: string;
  group: string;
  plural: string;
  kind: string;
  listKind: string;
  /** In document order; the first is the default. */
  versions: ServedVersion[];
}

/** Where a request path falls: which resource and version's collection, and which object. */
export interface PathTarget {
  resource: ContractResource;
  version: ServedVersion;
  /** The object the path names, decoded; undefined for the collection itself. */
  name?: string;
  /** What follows the object name (`status`), if anything. */
  subresource?: string;
}

const COLLECTION_PATH = /^\/apis\/([^/{}]+)\/([^/{}]+)\/([^/{}]+)$/;

function kindOfRef(doc: ContractDocument, schema: Schema | undefined): string | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return undefined;
  const target = doc.schemas[ref.split('/').pop()!];
  return (target?.['x-kubernetes-group-version-kind'] as Array<{ kind: string }> | undefined)?.[0]?.kind;
}

export class ResourceSet {
  private static cache = new WeakMap<ContractDocument, ResourceSet>();
  readonly all: ContractResource[] = [];
  /** Every kind an object answer may have (objects and their lists). */
  readonly kinds: Set<string>;

  /** One per document: it is read once. */
  static for(doc: ContractDocument): ResourceSet {
    let s = ResourceSet.cache.get(doc);
    if (!s) ResourceSet.cache.set(doc, (s = new ResourceSet(doc)));
    return s;
  }

  private constructor(doc: ContractDocument) {
    for (const op of doc.operations) {
      const m = COLLECTION_PATH.exec(op.path);
      if (op.action !== 'list' || !m || !op.gvk) continue;
      const [, group, version, plural] = m;
      const id = `${plural}.${group}`;
      let r = this.all.find((x) => x.id === id);
      if (!r) {
        const listKind = kindOfRef(doc, op.responses.get(200)?.get('application/json')) ?? `${op.gvk.kind}List`;
        this.all.push((r = { id, group, plural, kind: op.gvk.kind, listKind, versions: [] }));
      }
      r.versions.push({ name: version, apiVersion: `${group}/${version}`, collection: op.path });
    }
    this.kinds = new Set(this.all.flatMap((r) => [r.kind, r.listKind]));
  }

  /** A resource by `<plural>.<group>` or plural; without one, the first the document describes. */
  get(id?: string): ContractResource {
    if (!this.all.length) throw new Error('openapi.yaml describes no resource (no list operation on /apis/<group>/<version>/<plural>)');
    if (id === undefined) return this.all[0];
    const r = this.all.find((x) => x.id === id || x.plural === id);
    if (!r) throw new Error(`openapi.yaml describes no resource ${id} (it has ${this.all.map((x) => x.id).join(', ')})`);
    return r;
  }

  /** Which collection a path is in (any resource, any version), or undefined. */
  locate(path: string): PathTarget | undefined {
    for (const resource of this.all) {
      const t = locateIn(resource, path);
      if (t) return t;
    }
    return undefined;
  }

  /** Every object in a response body: the object itself, list items (not a Status or a Table). */
  objectsIn(body: unknown): Array<Record<string, unknown>> {
    if (!body || typeof body !== 'object') return [];
    const b = body as Record<string, unknown>;
    if (Array.isArray(b.items)) return b.items.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object');
    if (typeof b.kind === 'string' && this.all.some((r) => r.kind === b.kind)) return [b];
    return [];
  }
}

/** A version of a resource by name; the error names the versions the document has. */
export function versionOf(resource: ContractResource, name?: string): ServedVersion {
  if (name === undefined) return resource.versions[0];
  const v = resource.versions.find((x) => x.name === name);
  if (!v) throw new Error(`${resource.id} has no version ${name} in openapi.yaml (it has ${resource.versions.map((x) => x.name).join(', ')})`);
  return v;
}

/** Where a path falls within one resource's collections, or undefined. */
export function locateIn(resource: ContractResource, path: string): PathTarget | undefined {
  for (const version of resource.versions) {
    if (path === version.collection) return { resource, version };
    if (path.startsWith(version.collection + '/')) {
      const [name, ...rest] = path.slice(version.collection.length + 1).split('/');
      return { resource, version, name: decodeURIComponent(name), subresource: rest.length ? rest.join('/') : undefined };
    }
  }
  return undefined;
}
