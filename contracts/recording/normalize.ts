/**
 * What varies from run to run, and from server to server, replaced by stable placeholders, so
 * that a recording can be committed and two servers' answers compared: the run id and the
 * scenario's name prefix, uids, resourceVersions, continue tokens, generated names (these four
 * keep their identity within a scenario: the same uid is `<uid:1>` wherever it appears, so
 * "these two answers name the same object" survives), timestamps of the run and Table ages, and
 * any credential a server might echo. One Normalizer per scenario, fed its exchanges in order.
 *
 * Shapes survive: a timestamp of the run in Kubernetes' form (RFC 3339, seconds, `Z`) becomes
 * `<time>`, one in another form `<time:0000-00-00T00:00:00.000Z>` (its digits zeroed), so a
 * server that writes milliseconds differs from one that does not, however the clocks read.
 */
import { SCENARIO_LABEL } from '../runner/safety.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const KUBE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** kubectl's short human durations: 0s, 5m, 2m3s, 3d4h. */
const AGE = /^\d+[smhdy](\d+[smhdy])?$/;
/** k8s.io/apiserver's storage.NewTooLargeResourceVersionError: both numbers are resourceVersions. */
const TOO_LARGE_RV = /(Too large resource version: )(\d+)(, current: )(\d+)/g;
/** A resourceVersion inside JSON text (a clipped oversized request body is kept as text). */
const RV_IN_JSON_TEXT = /("resourceVersion":\s*")(\d+)(")/g;
/** Timestamps this close to the run are the server's clock; others (sent by a scenario) are data. */
const CLOCK_SLACK_MS = 24 * 3600 * 1000;

export interface NormalizerOptions {
  runId: string;
  /** The scenario's number in the suite: its objects are named `<run id>-s<n>-…`. */
  scenarioNo: number;
  /** When the run began and ended. */
  from: Date;
  to: Date;
  /** Credential values (API keys, tokens) that must never be written, even if a server echoes them. */
  secrets?: string[];
}

/** Credential values as they are replaced: distinct, four characters or more, longest first (a secret containing another is replaced whole). */
function secretsToReplace(secrets: string[] = []): string[] {
  return [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

function scrub(s: string, secrets: string[]): string {
  for (const secret of secrets) s = s.split(secret).join('<redacted>');
  return s;
}

function scrubAll(v: unknown, secrets: string[]): unknown {
  if (typeof v === 'string') return scrub(v, secrets);
  if (Array.isArray(v)) return v.map((x) => scrubAll(x, secrets));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k, secrets), scrubAll(x, secrets)]));
  return v;
}

/** A value with only the credentials replaced (strings and keys, at any depth): for what is written as answered. */
export function redacted(v: unknown, secrets: string[]): unknown {
  return scrubAll(v, secretsToReplace(secrets));
}

/** An identity map: the n-th distinct value gets `<kind:n>`. */
class Identities {
  private seen = new Map<string, string>();
  constructor(private readonly kind: string) {}
  of(value: string): string {
    let p = this.seen.get(value);
    if (!p) this.seen.set(value, (p = `<${this.kind}:${this.seen.size + 1}>`));
    return p;
  }
}

export class Normalizer {
  private readonly uids = new Identities('uid');
  private readonly rvs = new Identities('rv');
  private readonly continues = new Identities('continue');
  /** Generated name → `<generateName><generated:n>`, longest first when replacing. */
  private readonly generated = new Map<string, string>();
  private readonly prefix: string;
  private readonly from: number;
  private readonly to: number;
  private readonly secrets: string[];

  constructor(private readonly o: NormalizerOptions) {
    this.prefix = `${o.runId}-s${o.scenarioNo}`;
    this.from = o.from.getTime() - CLOCK_SLACK_MS;
    this.to = o.to.getTime() + CLOCK_SLACK_MS;
    this.secrets = secretsToReplace(o.secrets);
  }

  /**
   * A create sent with generateName was answered with the name the server made up: from now on
   * that name is `<its generateName><generated:n>`.
   */
  learnGenerated(requestBody: unknown, responseBody: unknown): void {
    const sent = (requestBody as { metadata?: { name?: unknown; generateName?: unknown } } | undefined)?.metadata;
    const got = (responseBody as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
    if (!sent || sent.name || typeof sent.generateName !== 'string' || typeof got !== 'string') return;
    if (!got.startsWith(sent.generateName) || this.generated.has(got)) return;
    this.generated.set(got, `${sent.generateName}<generated:${this.generated.size + 1}>`);
  }

  string(s: string): string {
    s = scrub(s, this.secrets);
    for (const [name, placeholder] of [...this.generated].sort((a, b) => b[0].length - a[0].length)) s = s.split(name).join(placeholder);
    s = s.split(this.prefix).join('<prefix>').split(this.o.runId).join('<run>');
    s = s.split(`${SCENARIO_LABEL}=s${this.o.scenarioNo}`).join(`${SCENARIO_LABEL}=<scenario>`);
    s = s.replace(UUID, (u) => this.uids.of(u.toLowerCase()));
    s = s.replace(RV_IN_JSON_TEXT, (_, a: string, rv: string, b: string) => `${a}${this.rvs.of(rv)}${b}`);
    s = s.replace(TOO_LARGE_RV, (_, a: string, wanted: string, b: string, current: string) => `${a}${this.rvs.of(wanted)}${b}${this.rvs.of(current)}`);
    return s.replace(TIMESTAMP, (t) => {
      const at = Date.parse(t);
      if (Number.isNaN(at) || at < this.from || at > this.to) return t;
      return KUBE_TIME.test(t) ? '<time>' : `<time:${t.replace(/\d/g, '0')}>`;
    });
  }

  /** A JSON value (a body, a query, a header map), normalized; `key` is the key it is found under. */
  value(v: unknown, key?: string): unknown {
    if (typeof v === 'string') {
      if (key === 'resourceVersion' && /^\d+$/.test(v)) return this.rvs.of(v);
      if (key === 'continue' && v !== '') return this.continues.of(v);
      if (key === SCENARIO_LABEL && v === `s${this.o.scenarioNo}`) return '<scenario>';
      return this.string(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out = Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined).map(([k, x]) => [this.string(k), this.value(x, k)]));
      return Array.isArray(o.columnDefinitions) && Array.isArray(o.rows) ? this.ages(o.columnDefinitions, out) : out;
    }
    return v;
  }

  /** A Table's Age cells change with the clock: `<age>` while they look like an age. */
  private ages(columns: unknown[], table: Record<string, unknown>): Record<string, unknown> {
    const at = columns.flatMap((c, i) => ((c as { name?: unknown }).name === 'Age' ? [i] : []));
    if (!at.length) return table;
    const rows = (table.rows as Array<Record<string, unknown>>).map((r) => {
      if (!Array.isArray(r?.cells)) return r;
      return { ...r, cells: r.cells.map((c, i) => (at.includes(i) && typeof c === 'string' && AGE.test(c) ? '<age>' : c)) };
    });
    return { ...table, rows };
  }
}
