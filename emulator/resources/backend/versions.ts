/**
 * Backend's served versions (apoxy-backend-semantics.md §1.2, §4): v1alpha2 is the storage and
 * hub version; v1alpha is served from the same store and converted to and from it.
 */
import type { KubeObject, VersionDefinition } from '../types.js';
import type { BackendSpec } from './types.js';

/** Default() of both versions (api/core/v1alpha2 and v1alpha backend_validate.go): protocol lowercased, nothing else. */
function lowercaseProtocol(obj: KubeObject): void {
  const spec = obj.spec as BackendSpec | undefined;
  if (spec && typeof spec.protocol === 'string') spec.protocol = spec.protocol.toLowerCase();
}

/**
 * api/core/v1alpha/backend_conversion.go, both directions: a straight copy of ObjectMeta, spec
 * and status, except that the endpoints slice is made with make(..., len), so a nil list
 * becomes an empty one.
 */
function nilEndpointsBecomeEmpty(obj: KubeObject): void {
  const spec = obj.spec as BackendSpec | undefined;
  if (spec && (spec.endpoints === null || spec.endpoints === undefined)) spec.endpoints = [];
}

export const v1alpha2: VersionDefinition = {
  name: 'v1alpha2',
  storage: true,
  applyDefaults: lowercaseProtocol,
  // pkg/apiserver/fieldselectors.go registers spec.protocol for v1alpha2 Backend only.
  selectableFields: ['spec.protocol'],
};

export const v1alpha: VersionDefinition = {
  name: 'v1alpha',
  applyDefaults: lowercaseProtocol,
  toStorage: nilEndpointsBecomeEmpty,
  fromStorage: nilEndpointsBecomeEmpty,
};
