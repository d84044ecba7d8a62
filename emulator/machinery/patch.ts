/**
 * The non-apply PATCH types of k8s.io/apiserver handlers/patch.go, applied to the JSON of the
 * stored object. Strategic merge follows the patch strategies the kind's schema declares
 * (ObjectMeta's finalizers and ownerReferences merge; Backend's own lists have none and are
 * replaced) plus the $patch directives.
 */
import jsonpatch from 'fast-json-patch';
import { applyMergePatch, applyStrategicMergePatch, PatchApplyError } from './strategic-merge.js';
import { UNTAGGED, type PatchMeta } from './patch-strategies.js';
import { errors, StatusError } from './status.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

const MAX_JSON_PATCH_OPS = 10000;

/** Applies a json, merge or strategic patch; throws the real server's Status on failure. */
export function applyPatch(type: Exclude<PatchType, 'application/apply-patch+yaml'>, current: unknown, raw: Buffer, meta: PatchMeta = UNTAGGED): unknown {
  const text = raw.toString('utf8');
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch {
    throw errors.badRequest(type === 'application/json-patch+json' ? 'invalid JSON patch' : `error decoding patch: invalid character in ${type} body`);
  }
  if (type === 'application/json-patch+json') {
    if (!Array.isArray(patch)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    if (patch.length > MAX_JSON_PATCH_OPS) {
      throw errors.requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPS}, got ${patch.length}`);
    }
    const invalidOp = patch.find((op) => typeof op !== 'object' || op === null || typeof (op as { op?: unknown }).op !== 'string');
    if (invalidOp !== undefined) throw errors.badRequest('invalid JSON patch: missing or invalid "op"');
    try {
      return jsonpatch.applyPatch(structuredClone(current), patch as jsonpatch.Operation[], true, false, true).newDocument;
    } catch {
      // The real server loses the error text here (handlers/patch.go: NewGenericServerResponse(422, ...)).
      throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    }
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw errors.badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  }
  try {
    return type === 'application/merge-patch+json' ? applyMergePatch(current, patch) : applyStrategicMergePatch(current, patch, meta);
  } catch (e) {
    if (e instanceof PatchApplyError) throw new StatusError(e.code, e.code === 500 ? undefined : e.code === 422 ? 'Invalid' : 'BadRequest', e.message);
    throw e;
  }
}
