/**
 * PATCH bodies applied the way kube-apiserver applies them:
 * - applyStrategicMergePatch ports k8s.io/apimachinery/pkg/util/strategicpatch (v0.34)
 *   StrategicMergeMapPatchUsingLookupPatchMeta: mergeMap, handleDirectiveInMergeMap,
 *   applyRetainKeysDirective, mergePatchIntoOriginal, preprocessDeletionListForMerging,
 *   mergeMapHandler, mergeSliceHandler, mergeSlice (with merge keys, `$patch: delete|replace`
 *   list items and scalar lists), removeDirectives, discardNullValuesFromPatch,
 *   normalizeElementOrder; options MergeParallelList and IgnoreUnmatchedNulls both true, as on
 *   the server. The patch strategies come from a PatchMeta (patch-strategies.ts, read from the
 *   schema); without one every field is untagged and lists are replaced.
 * - applyMergePatch ports gopkg.in/evanphx/json-patch.v4 MergePatch (RFC 7386 as the apiserver
 *   runs it for application/merge-patch+json).
 * Inputs are never mutated. Keys such as "__proto__" are ordinary data keys: results are written
 * with Object.defineProperty and read only through own-property checks.
 */

import { UNTAGGED, type FieldPatchMeta, type PatchMeta } from './patch-strategies.js';

type JsonObject = { [key: string]: unknown };

/** A patch failure with the HTTP code the apiserver answers it with (interpretStrategicMergePatchError). */
export class PatchApplyError extends Error {
  constructor(
    message: string,
    /** 400 BadRequest; 422 (GenericServerResponse); 500 for plain errors and Go panics */
    readonly code: 400 | 422 | 500,
  ) {
    super(message);
    this.name = 'PatchApplyError';
  }
}

const DIRECTIVE_MARKER = '$patch';
const REPLACE = 'replace';
const DELETE = 'delete';
const MERGE = 'merge';
const RETAIN_KEYS_STRATEGY = 'retainKeys';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// mergepatch errors
const errBadPatchFormatForPrimitiveList = () => new PatchApplyError('invalid patch format of primitive list', 400);
const errBadPatchFormatForRetainKeys = () => new PatchApplyError('invalid patch format of retainKeys', 400);
const errBadPatchFormatForSetElementOrderList = () => new PatchApplyError('invalid patch format of setElementOrder list', 400);
const errNoListOfLists = () => new PatchApplyError('lists of lists are not supported', 422);
const errNoMergeKey = (m: JsonObject, key: string) => new PatchApplyError(`map: ${goFmt(m, 'v')} does not contain declared merge key: ${key}`, 500);
/** mergepatch.ErrBadArgType(map[string]interface{}, actual) */
const errNotAMap = (actual: unknown) => new PatchApplyError(`expected a map[string]interface {}, but received a ${goTypeName(actual) ?? '%!s(<nil>)'}`, 500);

// ---------------------------------------------------------------------------------------------
// Prototype-safe object access

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function setOwn(o: JsonObject, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

function delOwn(o: JsonObject, k: string): void {
  if (hasOwn(o, k)) delete o[k];
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepClone) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setOwn(out, k, deepClone(v[k]));
    return out as T;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Go's view of decoded JSON (sigs.k8s.io/json with PreserveInts: integers are int64)

type GoKind = 'map' | 'slice' | 'string' | 'int64' | 'float64' | 'bool' | 'nil';

function goKind(v: unknown): GoKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) && Math.abs(v) <= 2 ** 63 ? 'int64' : 'float64';
    default:
      return 'map';
  }
}

/** reflect.TypeOf(v).String(); undefined for nil */
function goTypeName(v: unknown): string | undefined {
  const k = goKind(v);
  if (k === 'nil') return undefined;
  return k === 'map' ? 'map[string]interface {}' : k === 'slice' ? '[]interface {}' : k;
}

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, %e when exp < -4 || exp >= 6 for %v. */
function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = Math.abs(f).toExponential().split('e');
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  const dp = exp + 1;
  if (dp <= 0) return sign + '0.' + '0'.repeat(-dp) + digits;
  if (dp >= digits.length) return sign + digits + '0'.repeat(dp - digits.length);
  return sign + digits.slice(0, dp) + '.' + digits.slice(dp);
}

/** Go string order (UTF-8 bytes), i.e. code point order. */
function compareGo(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** fmt %v / %s of a decoded JSON value (maps print with sorted keys). */
function goFmt(v: unknown, verb: 'v' | 's'): string {
  const k = goKind(v);
  const bad = (t: string, s: string) => (verb === 's' ? `%!s(${t}=${s})` : s);
  switch (k) {
    case 'nil':
      return verb === 's' ? '%!s(<nil>)' : '<nil>';
    case 'string':
      return v as string;
    case 'bool':
      return bad('bool', String(v));
    case 'int64':
      return bad('int64', BigInt(v as number).toString());
    case 'float64':
      return bad('float64', goFloat(v as number));
    case 'slice':
      return '[' + (v as unknown[]).map((e) => goFmt(e, verb)).join(' ') + ']';
    case 'map': {
      const o = v as JsonObject;
      const keys = Object.keys(o).sort(compareGo);
      return 'map[' + keys.map((key) => `${key}:${goFmt(o[key], verb)}`).join(' ') + ']';
    }
  }
}

/** Go interface ==: different dynamic types are unequal; maps and slices panic. */
function goEqual(a: unknown, b: unknown): boolean {
  const ka = goKind(a);
  if (ka !== goKind(b)) return false;
  if (ka === 'map' || ka === 'slice') throw new PatchApplyError(`runtime error: comparing uncomparable type ${goTypeName(a)}`, 500);
  return ka === 'nil' || a === b;
}

/** A map[interface{}] key for a value; maps and slices panic as unhashable. */
function hashKey(v: unknown): string {
  const k = goKind(v);
  if (k === 'map' || k === 'slice') throw new PatchApplyError(`runtime error: hash of unhashable type ${goTypeName(v)}`, 500);
  return k === 'nil' ? 'nil' : `${k}:${String(v)}`;
}

// ---------------------------------------------------------------------------------------------
// strategicpatch helpers

/** extractKey: "<prefix>/<key>" -> key */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST ? errBadPatchFormatForPrimitiveList() : errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

/** removeDirectives: drop maps carrying $patch (recursively); returns [value, keep]. */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const [nv, keep] = removeDirectives(e);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  if (isObject(v)) {
    if (hasOwn(v, DIRECTIVE_MARKER)) return [null, false];
    for (const k of Object.keys(v)) {
      const [nv, keep] = removeDirectives(v[k]);
      if (keep) setOwn(v, k, nv);
      else delOwn(v, k);
    }
    return [v, true];
  }
  return [v, true];
}

/** discardNullValuesFromPatch: null map values go, recursively (null list elements stay). */
function discardNullValues(v: unknown): void {
  if (Array.isArray(v)) v.forEach(discardNullValues);
  else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delOwn(v, k);
      else discardNullValues(v[k]);
    }
  }
}

/** sliceElementType: every element of every list has one type, not a list. */
function sliceElementType(...lists: unknown[][]): GoKind {
  let prev: GoKind | undefined;
  for (const l of lists) {
    for (const v of l) {
      const cur = goKind(v);
      if (prev === undefined) {
        if (cur === 'nil') throw new PatchApplyError('runtime error: invalid memory address or nil pointer dereference', 500);
        if (cur === 'slice') throw errNoListOfLists();
        prev = cur;
      } else if (prev !== cur) {
        throw new PatchApplyError(`list element types are not identical: ${goFmt(lists, 'v')}`, 500);
      }
    }
  }
  if (prev === undefined) throw new PatchApplyError('no elements in any of the given slices', 500);
  return prev;
}

/** sort.SliceStable (insertion sort on blocks of 20, then SymMerge), for identical results with odd comparators. */
function goSliceStable(data: unknown[], less: (i: number, j: number) => boolean): void {
  const swap = (i: number, j: number) => {
    [data[i], data[j]] = [data[j], data[i]];
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (less(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!less(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!less(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

/** The value index() compares: the merge key's value of a map, the item itself otherwise. */
function orderKey(item: unknown, mergeKey: string, kind: GoKind): unknown {
  if (kind !== 'map') return item;
  return isObject(item) && hasOwn(item, mergeKey) ? item[mergeKey] : null;
}

/** index: position of val in l (by merge key for maps) by Go ==, or -1. */
function indexOf(l: unknown[], val: unknown, mergeKey: string, kind: GoKind): number {
  const want = orderKey(val, mergeKey, kind);
  for (let i = 0; i < l.length; i++) if (goEqual(want, orderKey(l[i], mergeKey, kind))) return i;
  return -1;
}

/** validateMergeKeyInLists */
function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const l of lists) {
    for (const item of l) {
      if (!isObject(item)) throw errNotAMap(item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** extractToDeleteItems: [items kept, items carrying `$patch: delete`] */
function extractToDeleteItems(l: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isObject(v)) throw errNotAMap(v);
    (hasOwn(v, DIRECTIVE_MARKER) && v[DIRECTIVE_MARKER] === DELETE ? toDelete : keep).push(v);
  }
  return [keep, toDelete];
}

/** normalizeSliceOrder: `toSort` in the order of `order` (stable; items not in it float, as upstream's comparator lets them). */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  let out = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, out, order);
    [out, toDelete] = extractToDeleteItems(out);
  }
  goSliceStable(out, (i, j) => {
    const ii = indexOf(order, out[i], mergeKey, kind);
    if (ii >= 0) {
      const ij = indexOf(order, out[j], mergeKey, kind);
      if (ij >= 0) return ii < ij;
    }
    return true;
  });
  return [...out, ...toDelete];
}

/** mergeSortedSlice: interleave server-only items (left) into patch items (right) by server order. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  const size = left.length + right.length;
  for (let k = 0; k < size; k++) {
    if (i >= left.length && j < right.length) out.push(right[j++]);
    else if (j >= right.length && i < left.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** normalizeElementOrder: patch items in patch order, server-only items in server order, then merged. */
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: GoKind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** findMapInSliceBasedOnKeyValue */
function findMapByKey(l: unknown[], key: string, value: unknown): number {
  for (let k = 0; k < l.length; k++) {
    const v = l[k];
    if (!isObject(v)) throw new PatchApplyError(`value for key ${k} is not a map`, 500);
    if (hasOwn(v, key) && goEqual(v[key], value)) return k;
  }
  return -1;
}

/** partitionPrimitivesByPresentInList */
function partitionPrimitives(original: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by.map(hashKey));
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) (inPatch.has(hashKey(v)) ? patchItems : serverOnly).push(v);
  return [patchItems, serverOnly];
}

/** partitionMapsByPresentInList */
function partitionMaps(original: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of original) {
    if (!isObject(v)) throw errNotAMap(v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMapByKey(by, mergeKey, v[mergeKey]) >= 0 ? patchItems : serverOnly).push(v);
  }
  return [patchItems, serverOnly];
}

const partition = (merged: unknown[], by: unknown[], mergeKey: string) => (mergeKey ? partitionMaps(merged, by, mergeKey) : partitionPrimitives(merged, by));

/** deduplicateScalars, with upstream's in-place swap (it decides the order normalizeSliceOrder starts from). */
function deduplicateScalars(both: unknown[]): unknown[] {
  const s = [...both];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/** deleteFromSlice: the $deleteFromPrimitiveList list applied. */
function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const drop = new Set(toDelete.map(hashKey));
  return current.filter((v) => !drop.has(hashKey(v)));
}

/** mergeSliceWithSpecialElements: `$patch: delete` items remove their entries, `$patch: replace` drops the original. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let out = original;
  for (const v of patch as JsonObject[]) {
    if (!hasOwn(v, DIRECTIVE_MARKER)) {
      plain.push(v);
      continue;
    }
    const directive = v[DIRECTIVE_MARKER];
    if (directive === DELETE) {
      if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      for (let i = findMapByKey(out, mergeKey, v[mergeKey]); i >= 0; i = findMapByKey(out, mergeKey, v[mergeKey])) out = [...out.slice(0, i), ...out.slice(i + 1)];
    } else if (directive === REPLACE) replace = true;
    else if (directive === MERGE) throw new PatchApplyError('merging lists cannot yet be specified in the patch', 500);
    else throw new PatchApplyError(`unknown patch type: ${goFmt(directive, 's')} in map: ${goFmt(v, 'v')}`, 500);
  }
  return replace ? [plain, []] : [out, plain];
}

/** mergeSliceWithoutSpecialElements: items with a known merge key merge into theirs, the others are appended. */
function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, meta: PatchMeta): unknown[] {
  const out = [...original];
  for (const v of patch as JsonObject[]) {
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const i = findMapByKey(out, mergeKey, v[mergeKey]);
    if (i < 0) {
      out.push(v);
      continue;
    }
    out[i] = mergeMap(out[i] as JsonObject, v, meta);
    // Go writes the merged map into the original's backing array, which the ordering reads.
    if (i < original.length) original[i] = out[i];
  }
  return out;
}

/** mergeSlice: a `merge` list (or a $deleteFromPrimitiveList list) merged into the original. */
function mergeSlice(originalIn: unknown[], patchIn: unknown[], meta: PatchMeta, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (originalIn.length === 0 && patchIn.length === 0) return originalIn;
  const kind = sliceElementType(originalIn, patchIn);
  let original = originalIn;
  let patch = patchIn;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new PatchApplyError(`cannot merge lists without merge key for ${meta.kind}`, 500);
    [original, patch] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, meta);
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

/** extractRetainKeysPatchStrategy: the strategy besides `retainKeys`. */
function patchStrategy(strategies: string[]): string {
  const bad = () => new PatchApplyError(`unexpected patch strategy: ${goFmt(strategies, 'v')}`, 500);
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === RETAIN_KEYS_STRATEGY ? '' : strategies[0];
  if (strategies.length === 2) {
    if (strategies[0] === RETAIN_KEYS_STRATEGY) return strategies[1];
    if (strategies[1] === RETAIN_KEYS_STRATEGY) return strategies[0];
  }
  throw bad();
}

/** LookupPatchMetadataForStruct / ForSlice */
function lookup(meta: PatchMeta, key: string): FieldPatchMeta & { strategy: string } {
  const f = meta.field(key);
  if (!f) throw new PatchApplyError(`unable to find api field in struct ${meta.typeName} for the json field ${JSON.stringify(key)}`, 500);
  return { ...f, strategy: patchStrategy(f.strategies) };
}

/** mergeSliceHandler: a `merge` list (and any $deleteFromPrimitiveList list) merges; any other list is replaced. */
function mergeSliceHandler(original: unknown[], patch: unknown[], f: FieldPatchMeta & { strategy: string }, isDeleteList: boolean): unknown[] {
  if (f.strategy === MERGE || isDeleteList) return mergeSlice(original, patch, f.meta, f.mergeKey, isDeleteList);
  return patch;
}

/** containsDirectiveMarker */
const containsDirectiveMarker = (v: unknown): boolean => isObject(v) && hasOwn(v, DIRECTIVE_MARKER);

/** mergeKeyValueEqual */
function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return goEqual(left, right);
  if (!isObject(left)) throw errNotAMap(left);
  if (!isObject(right)) throw errNotAMap(right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

/** validatePatchWithSetOrderList: the patch list's items appear in the $setElementOrder list, in its order. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let si = 0;
  while (pi < items.length && si < setOrder.length) {
    if (containsDirectiveMarker(items[pi])) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(items[pi], setOrder[si], mergeKey)) pi++;
    si++;
  }
  if (pi < items.length && si >= setOrder.length) {
    throw new PatchApplyError(
      `the order in patch list:\n${goFmt(patchList, 'v')}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFmt(setOrder, 'v')}`,
      500,
    );
  }
}

const badArgType = (actual: unknown) => new PatchApplyError(`expected a []interface {}, but received a ${goTypeName(actual) ?? '%!s(<nil>)'}`, 500);

/** mergePatchIntoOriginal: $setElementOrder/<list> merges and reorders its list, and is consumed. */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, meta: PatchMeta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER) || !hasOwn(patch, key)) continue;
    const setOrder = patch[key];
    delOwn(patch, key);
    if (!Array.isArray(setOrder)) throw badArgType(setOrder);
    const originalKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = hasOwn(original, originalKey);
    const foundPatch = hasOwn(patch, originalKey);
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      const v = original[originalKey];
      if (!Array.isArray(v)) throw badArgType(v);
      originalList = v;
    }
    if (foundPatch) {
      const v = patch[originalKey];
      if (!Array.isArray(v)) throw badArgType(v);
      patchList = v;
    }
    const f = lookup(meta, originalKey);
    validatePatchWithSetOrderList(patchList, setOrder, f.mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, f, false);
    else continue;
    const [patchItems, serverOnly] = partition(merged, setOrder, f.mergeKey);
    const kind = sliceElementType(originalList, patchList);
    setOwn(original, originalKey, normalizeElementOrder(patchItems, serverOnly, setOrder, originalList, f.mergeKey, kind));
    delOwn(patch, originalKey);
  }
}

/** applyRetainKeysDirective: keep only the listed keys of original; the patch may only set listed keys. */
function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delOwn(patch, RETAIN_KEYS);
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const keys = new Set(retain.map(hashKey));
  const listed = (k: string) => keys.has(hashKey(k));
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!listed(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!listed(k)) delOwn(original, k);
}

/** handleDirectiveInMergeMap: $patch replace / delete on a map. */
function handleDirectiveInMergeMap(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === REPLACE) {
    delOwn(patch, DIRECTIVE_MARKER);
    return patch;
  }
  if (directive === DELETE) return {};
  throw new PatchApplyError(`unknown patch type: ${goFmt(directive, 's')} in map: ${goFmt(patch, 'v')}`, 500);
}

/** Taking a patch value where original has none (or a different type): nulls and $patch maps dropped. */
function takePatchValue(original: JsonObject, k: string, patchV: unknown): void {
  discardNullValues(patchV);
  const [v, keep] = removeDirectives(patchV);
  if (keep) setOwn(original, k, v);
  else delOwn(original, k);
}

/** mergeMap with MergeParallelList and IgnoreUnmatchedNulls; mutates its (already cloned) arguments. */
function mergeMap(originalIn: JsonObject | null, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);
  const original = originalIn ?? {};
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, meta);
  for (const key of Object.keys(patch)) {
    if (!hasOwn(patch, key)) continue;
    const patchV = patch[key];
    if (patchV === undefined) continue;
    // preprocessDeletionListForMerging
    let k = key;
    let isDeleteList = false;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(key, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delOwn(original, k);
      continue;
    }
    if (!hasOwn(original, k) || goKind(original[k]) !== goKind(patchV)) {
      if (!isDeleteList) takePatchValue(original, k, patchV);
      continue;
    }
    const cur = original[k];
    if (isObject(cur)) {
      // mergeMapHandler: a `replace` struct takes the patch as it is.
      const f = lookup(meta, k);
      setOwn(original, k, f.strategy === REPLACE ? patchV : mergeMap(cur, patchV as JsonObject, f.meta));
    } else if (Array.isArray(cur)) setOwn(original, k, mergeSliceHandler(cur, patchV as unknown[], lookup(meta, k), isDeleteList));
    else takePatchValue(original, k, patchV);
  }
  return original;
}

/**
 * application/strategic-merge-patch+json: a JSON merge patch whose lists are replaced unless
 * `meta` gives them the `merge` strategy (scalars added without duplicates, maps merged by their
 * merge key), plus the directives $patch (replace|delete, also on list items), $retainKeys,
 * $setElementOrder/<list> and $deleteFromPrimitiveList/<list>. Throws PatchApplyError with
 * upstream's message.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta = UNTAGGED): unknown {
  if (patch === null || patch === undefined) return isObject(original) ? deepClone(original) : {};
  if (!isObject(patch)) {
    const what = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw new PatchApplyError(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`, 400);
  }
  return mergeMap(isObject(original) ? deepClone(original) : null, deepClone(patch), meta);
}

// ---------------------------------------------------------------------------------------------
// evanphx/json-patch v4 MergePatch

function pruneNulls(v: unknown): void {
  if (isObject(v)) pruneDocNulls(v);
  else if (Array.isArray(v)) pruneAryNulls(v);
}

function pruneDocNulls(doc: JsonObject): JsonObject {
  for (const k of Object.keys(doc)) {
    if (doc[k] === null) delOwn(doc, k);
    else pruneNulls(doc[k]);
  }
  return doc;
}

/** v4.12 keeps null elements; only objects inside are pruned. */
function pruneAryNulls(ary: unknown[]): unknown[] {
  for (const v of ary) if (v !== null) pruneNulls(v);
  return ary;
}

function mergeValue(cur: unknown, patch: unknown): unknown {
  if (!isObject(cur)) {
    pruneNulls(patch);
    return patch;
  }
  if (!isObject(patch)) return patch;
  mergeDocs(cur, patch);
  return cur;
}

function mergeDocs(doc: JsonObject, patch: JsonObject): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === undefined) continue;
    if (v === null) delOwn(doc, k);
    else if (!hasOwn(doc, k) || doc[k] === null) {
      pruneNulls(v);
      setOwn(doc, k, v);
    } else setOwn(doc, k, mergeValue(doc[k], v));
  }
}

/**
 * application/merge-patch+json (RFC 7386 via evanphx/json-patch v4 MergePatch): null deletes,
 * objects merge recursively, anything else replaces. Unlike the RFC: a null or scalar patch is an
 * error ("Invalid JSON Patch"), a null original is "Invalid JSON Document", and nulls inside
 * objects nested in arrays are pruned.
 */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (original === null || original === undefined) throw new PatchApplyError('Invalid JSON Document', 400);
  if (patch === null || patch === undefined) throw new PatchApplyError('Invalid JSON Patch', 400);
  if (!isObject(original) || !isObject(patch)) {
    if (isObject(patch)) return pruneDocNulls(deepClone(patch));
    if (Array.isArray(patch)) return pruneAryNulls(deepClone(patch));
    throw new PatchApplyError('Invalid JSON Patch', 400);
  }
  const doc = deepClone(original);
  mergeDocs(doc, deepClone(patch));
  return doc;
}
