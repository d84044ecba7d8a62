/**
 * Backend (core.apoxy.dev, v1alpha2 stored, v1alpha converted): only what is Backend's own. Everything else (metadata,
 * resourceVersion, errors, selectors, patch, watch, table framing) is generic machinery.
 */
import { shortHumanDuration } from '../../machinery/human-duration.js';
import type { KubeObject, ResourceDefinition } from '../types.js';
import type { BackendSpec } from './types.js';
import { validateBackend } from './validate.js';
import { v1alpha, v1alpha2 } from './versions.js';

/** Endpoints column: fqdn, else ip, joined by ","; "None" when there is nothing to show. */
function endpointsCell(spec: BackendSpec): string {
  const shown = (spec.endpoints ?? []).map((e) => e?.fqdn || e?.ip || '').filter(Boolean);
  return shown.length ? shown.join(',') : 'None';
}

export const backend: ResourceDefinition = {
  group: 'core.apoxy.dev',
  // v1alpha2 first: the preferred version, and the one `kubectl get backends` resolves to.
  versions: [v1alpha2, v1alpha],
  kind: 'Backend',
  listKind: 'BackendList',
  plural: 'backends',
  singular: 'backend',
  namespaced: false,
  shortNames: [],
  subresources: ['status'],

  // api/core/v1alpha2/backend_types.go (v1alpha's types are the same): every other field is a
  // value (spec and status are always written; protocol and endpoints have no omitempty, fqdn,
  // ip and conditions do).
  goPointers: {
    BackendSpec: ['dynamicProxy'],
    DynamicProxySpec: ['dnsCacheConfig'],
    DynamicProxyDnsCacheConfig: ['dnsRefreshRate', 'dnsMinRefreshRate', 'hostTTL', 'maxHosts', 'dnsQueryTimeout'],
  },

  validate: validateBackend,

  fieldSelectors: {
    'metadata.name': (o) => o.metadata.name ?? '',
    'metadata.namespace': (o) => o.metadata.namespace ?? '',
    'spec.protocol': (o) => ((o.spec as BackendSpec | undefined)?.protocol ?? ''),
  },

  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the backend', priority: 0 },
      { name: 'Endpoints', type: 'string', format: '', description: 'Backend endpoints', priority: 0 },
      { name: 'Protocol', type: 'string', format: '', description: 'Backend protocol', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Time since creation', priority: 0 },
    ],
    cells(obj, now) {
      const spec = (obj.spec ?? {}) as BackendSpec;
      const created = obj.metadata.creationTimestamp;
      const age = created ? shortHumanDuration(now.getTime() - Date.parse(created)) : '<unknown>';
      return [obj.metadata.name ?? '', endpointsCell(spec), spec.protocol ?? '', age];
    },
  },
};
