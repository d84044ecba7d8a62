/**
 * API discovery as an aggregated kube-apiserver serves it (k8s.io/apiserver endpoints/discovery
 * and discovery/aggregated): /apis in its legacy APIGroupList form or, when the Accept header
 * asks for it, the aggregated apidiscovery.k8s.io/v2 form; /apis/<group>; /apis/<group>/<version>;
 * and /version. `/api` is deliberately not served: aggregated servers answer it 404 and
 * client-go tolerates that.
 *
 * Everything is generated once, at start-up, from the resource definitions and the operations
 * of openapi.yaml (which verbs exist is which x-kubernetes-action the document declares). A
 * resource served in several versions is listed under each, in the definition's order (the
 * first is the preferred version), every one with the storage version's hash.
 */
import { createHash } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import type { ApiDocument, KubeAction } from '../openapi/document.js';
import { storageVersion, type ResourceDefinition } from '../resources/types.js';
import { parseAccept } from './negotiation.js';

/** The Kubernetes release the real Apoxy API server is built on (k8s.io/apiserver v0.34.3). */
export const KUBERNETES_VERSION = { major: '1', minor: '34', gitVersion: 'v1.34.3' };

/** How an operation's x-kubernetes-action shows in discovery (AS installer.go). */
const VERBS: Record<KubeAction, string[]> = {
  post: ['create'],
  put: ['update'],
  patch: ['patch'],
  delete: ['delete'],
  deletecollection: ['deletecollection'],
  get: ['get'],
  list: ['list', 'watch'],
};

/** storageVersionHash: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>") (AS discovery/storageversionhash.go). */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

/** Verbs of a resource (or one of its subresources) in one version, sorted as the installer sorts them. */
export function verbsOf(doc: ApiDocument, plural: string, version: string, subresource?: string): string[] {
  const verbs = new Set<string>();
  for (const op of doc.operations) {
    if (op.resource === plural && op.gvk.version === version && op.subresource === subresource) for (const v of VERBS[op.action]) verbs.add(v);
  }
  return [...verbs].sort();
}

interface GroupVersion {
  group: string;
  version: string;
  resources: ResourceDefinition[];
}

/** Served group/versions, in the order resources and their versions are defined. */
function groupVersions(resources: ResourceDefinition[]): GroupVersion[] {
  const out = new Map<string, GroupVersion>();
  for (const def of resources) {
    for (const { name: version } of def.versions) {
      const key = `${def.group}/${version}`;
      (out.get(key) ?? out.set(key, { group: def.group, version, resources: [] }).get(key)!).resources.push(def);
    }
  }
  return [...out.values()];
}

const gvRef = (gv: GroupVersion) => ({ groupVersion: `${gv.group}/${gv.version}`, version: gv.version });

/** metav1.APIResourceList for one group/version (AS endpoints/discovery/version.go). */
export function apiResourceList(doc: ApiDocument, gv: GroupVersion) {
  const resources: Record<string, unknown>[] = [];
  for (const def of gv.resources) {
    const main: Record<string, unknown> = {
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: verbsOf(doc, def.plural, gv.version),
    };
    if (def.shortNames.length) main.shortNames = def.shortNames;
    // One storage version, so one hash whichever version lists the resource.
    main.storageVersionHash = storageVersionHash(def.group, storageVersion(def).name, def.kind);
    resources.push(main);
    for (const sub of def.subresources) {
      // Subresources carry an empty singularName (installer.go).
      resources.push({ name: `${def.plural}/${sub}`, singularName: '', namespaced: def.namespaced, kind: def.kind, verbs: verbsOf(doc, def.plural, gv.version, sub) });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${gv.group}/${gv.version}`, resources };
}

/** apidiscovery.k8s.io APIGroupDiscoveryList (kubernetes/api apidiscovery/v2/types.go). */
export function aggregatedDiscovery(doc: ApiDocument, gvs: GroupVersion[], apiVersion: string) {
  const groups = new Map<string, { metadata: { name: string }; versions: unknown[] }>();
  for (const gv of gvs) {
    const group = groups.get(gv.group) ?? groups.set(gv.group, { metadata: { name: gv.group }, versions: [] }).get(gv.group)!;
    group.versions.push({
      version: gv.version,
      resources: gv.resources.map((def) => {
        const responseKind = { group: def.group, version: gv.version, kind: def.kind };
        const r: Record<string, unknown> = {
          resource: def.plural,
          responseKind,
          scope: def.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: def.singular,
          verbs: verbsOf(doc, def.plural, gv.version),
        };
        if (def.shortNames.length) r.shortNames = def.shortNames;
        if (def.subresources.length) {
          r.subresources = def.subresources.map((sub) => ({ subresource: sub, responseKind, verbs: verbsOf(doc, def.plural, gv.version, sub) }));
        }
        return r;
      }),
      freshness: 'Current',
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items: [...groups.values()] };
}

function apiGroup(name: string, gvs: GroupVersion[]) {
  const versions = gvs.filter((gv) => gv.group === name).map(gvRef);
  return { name, versions, preferredVersion: versions[0] };
}

/** The aggregated form a client asks for (v2 or v2beta1), or undefined for the legacy form. */
function aggregatedVersionWanted(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  // Clients list their preferences in order; the first one we can serve wins.
  for (const r of parseAccept(accept)) {
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io' && (r.params.v === 'v2' || r.params.v === 'v2beta1') && r.type === 'application/json') return r.params.v;
    if (!r.params.as && (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*')) return undefined;
  }
  return undefined;
}

/** A JSON document prepared once: its bytes and, for cached responses, its ETag. */
interface Prepared {
  body: string;
  etag: string;
}

function prepare(value: unknown): Prepared {
  const body = JSON.stringify(value);
  // The aggregated handler's ETag: hex sha512 of the JSON (AS discovery/aggregated/etag.go).
  return { body: body + '\n', etag: `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"` };
}

function sendJson(res: Response, p: Prepared, contentType = 'application/json', cacheControl = 'no-cache, private'): void {
  res.status(200).setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', cacheControl);
  res.end(p.body);
}

/**
 * AM pkg/version.Info for the release the real server is built on. The build fields (commit,
 * date, Go version) are not the real server's: it is not a build of it.
 */
function versionInfo() {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'go1.24',
    compiler: 'gc',
    platform: `${process.platform}/${arch[process.arch] ?? process.arch}`,
  };
}

export function discoveryRoutes(app: Express, ctx: EmulatorContext): void {
  const resources = [...ctx.registries.values()].map((r) => r.def);
  const gvs = groupVersions(resources);
  const groupNames = [...new Set(gvs.map((gv) => gv.group))];

  const legacy = prepare({ kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames.map((g) => apiGroup(g, gvs)) });
  const aggregated = {
    v2: prepare(aggregatedDiscovery(ctx.doc, gvs, 'apidiscovery.k8s.io/v2')),
    v2beta1: prepare(aggregatedDiscovery(ctx.doc, gvs, 'apidiscovery.k8s.io/v2beta1')),
  };
  // The version handler writes indented JSON with no newline (AS responsewriters.WriteRawJSON).
  const version: Prepared = { body: JSON.stringify(versionInfo(), null, 2), etag: '' };

  app.get('/version', (_req: Request, res: Response) => sendJson(res, version));

  app.get('/apis', (req: Request, res: Response) => {
    const v = aggregatedVersionWanted(req.get('accept'));
    if (!v) return sendJson(res, legacy);
    // The aggregated handler's caching headers (AS discovery/aggregated/etag.go ServeHTTPWithETag).
    const doc = aggregated[v];
    res.setHeader('ETag', doc.etag);
    res.setHeader('Vary', 'Accept');
    res.setHeader('Cache-Control', 'public');
    if (req.get('if-none-match') === doc.etag) {
      res.status(304).end();
      return;
    }
    // Clients recognise the aggregated form by this exact Content-Type only.
    sendJson(res, doc, `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`, 'public');
  });

  for (const group of groupNames) {
    const g = prepare({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, gvs) });
    app.get(`/apis/${group}`, (_req: Request, res: Response) => sendJson(res, g));
  }
  for (const gv of gvs) {
    const list = prepare(apiResourceList(ctx.doc, gv));
    app.get(`/apis/${gv.group}/${gv.version}`, (_req: Request, res: Response) => sendJson(res, list));
  }
}
