/** metav1.Time on the wire: RFC 3339 at second precision, UTC (`2026-11-28T00:26:39Z`). */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
