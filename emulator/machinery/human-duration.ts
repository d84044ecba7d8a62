/**
 * Age cells for Table output: k8s.io/apimachinery/pkg/util/duration/duration.go
 * (ShortHumanDuration, HumanDuration). Inputs are milliseconds; they are turned into a Go
 * time.Duration (int64 ns, saturated like time.Sub) and the Go arithmetic is reproduced, including
 * the float64 conversions of Duration.Seconds/Minutes/Hours.
 */

const NS_PER_MS = 1_000_000n;
const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/** Milliseconds to a Go Duration, saturating at the int64 range as time.Time.Sub does. */
function toDuration(ms: number): bigint {
  if (Number.isNaN(ms)) return 0n;
  if (ms === Infinity) return MAX_INT64;
  if (ms === -Infinity) return MIN_INT64;
  const whole = Math.trunc(ms);
  let d = BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
  if (d > MAX_INT64) d = MAX_INT64;
  if (d < MIN_INT64) d = MIN_INT64;
  return d;
}

/** Duration.Seconds / Minutes / Hours: whole part plus float remainder. */
function floatUnits(d: bigint, unit: bigint): number {
  return Number(d / unit) + Number(d % unit) / Number(unit);
}

/** Go int(float64): truncation toward zero. */
const goInt = (f: number): number => Math.trunc(f);

/** duration.ShortHumanDuration: "<invalid>" below -1s, then Ns / Nm / Nh / Nd / Ny. */
export function shortHumanDuration(ms: number): string {
  const d = toDuration(ms);
  const seconds = goInt(floatUnits(d, SECOND));
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = goInt(floatUnits(d, MINUTE));
  if (minutes < 60) return `${minutes}m`;
  const hours = goInt(floatUnits(d, HOUR));
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${goInt(floatUnits(d, HOUR) / 24 / 365)}y`;
}

/** duration.HumanDuration: ~2-3 significant figures, e.g. "2m30s", "5m", "3h", "3d4h". */
export function humanDuration(ms: number): string {
  const d = toDuration(ms);
  const seconds = goInt(floatUnits(d, SECOND));
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Number(d / MINUTE);
  if (minutes < 10) {
    const s = Number(d / SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Number(d / HOUR);
  if (hours < 8) {
    const m = Number(d / MINUTE) % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}
