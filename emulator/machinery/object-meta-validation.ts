/**
 * The checks ObjectMeta's maps and lists go through, ported from k8s.io/apimachinery v0.34:
 * - pkg/util/validation/validation.go (IsQualifiedName, IsValidLabelValue)
 * - pkg/apis/meta/v1/validation (ValidateLabelName, ValidateLabels)
 * - pkg/api/validation/objectmeta.go (ValidateAnnotations, ValidateFinalizers)
 * - k8s.io/kubernetes pkg/apis/core/validation (validateKubeFinalizerName; core types only)
 * object-meta.ts applies them on create and update; label-selector.ts checks keys and values
 * with the first two.
 */
import { fieldError, type FieldError } from './field-errors.js';
import { isDNS1123Subdomain, maxLenError, regexError, utf8Length } from './dns.js';

// ---------------------------------------------------------------------------------------------
// Qualified names and label values (validation.IsQualifiedName / IsValidLabelValue)

const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = '(' + qnameCharFmt + qnameExtCharFmt + '*)?' + qnameCharFmt;
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = new RegExp('^' + qualifiedNameFmt + '$');

const labelValueFmt = '(' + qualifiedNameFmt + ')?';
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueRegexp = new RegExp('^' + labelValueFmt + '$');

/** validation.IsQualifiedName: [prefix/]name, prefix a DNS-1123 subdomain, name ≤ 63 bytes. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  switch (parts.length) {
    case 1:
      name = parts[0];
      break;
    case 2: {
      const prefix = parts[0];
      name = parts[1];
      if (prefix.length === 0) errs.push('prefix part must be non-empty');
      else errs.push(...isDNS1123Subdomain(prefix).map((m) => 'prefix part ' + m));
      break;
    }
    default:
      return [
        'a qualified name ' +
          regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (utf8Length(name) > qualifiedNameMaxLength) errs.push('name part ' + maxLenError(qualifiedNameMaxLength));
  if (!qualifiedNameRegexp.test(name)) errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'));
  return errs;
}

/** validation.IsValidLabelValue */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta checks. Map errors all use the map's own path (e.g. "metadata.labels"), as upstream.

/** Qualified-name check, one Invalid per message (metav1validation.ValidateLabelName, core ValidateQualifiedName). */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => fieldError.invalid(path, value, m));
}

/** metav1validation.ValidateLabels: keys are qualified names, values label values. */
export function validateLabels(labels: Record<string, string> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateQualifiedName(k, path));
    for (const m of isValidLabelValue(v)) errs.push(fieldError.invalid(path, v, m));
  }
  return errs;
}

/** validation.TotalAnnotationSizeLimitB */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);

/** ValidateAnnotations: keys are qualified names compared in lower case; keys+values ≤ 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldError.invalid(path, k, m));
    total += utf8Length(k) + utf8Length(typeof v === 'string' ? v : '');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(fieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/** metav1.FinalizerOrphanDependents / FinalizerDeleteDependents / core FinalizerKubernetes */
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';
export const FINALIZER_KUBERNETES = 'kubernetes';

/** ValidateFinalizerName (apimachinery): a qualified name; errors on the list's path. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  return validateQualifiedName(name, path);
}

/**
 * ValidateFinalizers (apimachinery objectmeta.go), what the generic registry applies to every
 * object, Backend included: each name a qualified name, and not both orphan and foregroundDeletion.
 */
export function validateFinalizers(finalizers: readonly string[] | undefined | null, path: string): FieldError[] {
  const list = finalizers ?? [];
  const errs: FieldError[] = [];
  for (const f of list) errs.push(...validateFinalizerName(f, path));
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(fieldError.invalid(path, [...list], `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`));
  }
  return errs;
}

/**
 * validateKubeFinalizerName (k8s.io/kubernetes pkg/apis/core/validation): the extra rule built-in
 * core types add (path is e.g. "metadata.finalizers[0]"). Not applied by aggregated servers.
 */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  if (name.split('/').length === 1 && ![FINALIZER_KUBERNETES, FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS].includes(name)) {
    return [fieldError.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}
