/**
 * k8s.io/apimachinery/pkg/api/validation/path/name.go: ValidatePathSegmentName, the only name
 * check a generic-registry (aggregated) apiserver applies to metadata.name and generateName.
 */

/** path.NameMayNotBe */
const NAME_MAY_NOT_BE = ['.', '..'];
/** path.NameMayNotContain */
const NAME_MAY_NOT_CONTAIN = ['/', '%'];

/** path.IsValidPathSegmentPrefix: only the forbidden substrings; no emptiness or length check. */
export function isValidPathSegmentPrefix(name: string): string[] {
  return NAME_MAY_NOT_CONTAIN.filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** path.IsValidPathSegmentName: '.' and '..' stop at the first message; otherwise every forbidden substring. */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of NAME_MAY_NOT_BE) {
    if (name === illegal) return [`may not be '${illegal}'`];
  }
  return isValidPathSegmentPrefix(name);
}

/** path.ValidatePathSegmentName (a ValidateNameFunc): prefix=true when checking generateName. */
export function validatePathSegmentName(name: string, prefix: boolean): string[] {
  return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
}
