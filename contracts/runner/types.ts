/**
 * The shapes of a contract scenario (as written in contracts/scenarios/*.yaml) and of a run's
 * results. Scenarios are data; everything here is what the runner reads from them.
 */
export type Profile = 'apoxy' | 'documented';

/** A value or a matcher: `{exists: true}`, `{not: x}`, `{length: n}`, `{contains: s}`, `{matches: re}`, `{oneOf: [..]}`. */
export type Expected = unknown;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  /** An object (sent as JSON) or a string (sent as is). */
  body?: unknown;
  /**
   * Sent without the run's credentials: no Authorization, API-key, token, cookie or secret
   * header from --header/--token/--kubeconfig, and no client certificate.
   */
  anonymous?: boolean;
}

export interface Expectation {
  status?: number | number[];
  /** Status.reason of a Status body. */
  reason?: string;
  message?: string;
  messageContains?: string;
  /** JSON path → value or matcher. */
  body?: Record<string, Expected>;
  /** Status causes that must be present (subset match on each listed key). */
  causes?: Array<Record<string, string>>;
  headers?: Record<string, Expected>;
  /** The whole body, exactly: nothing more, nothing less (placeholders allowed, no matchers). */
  exactBody?: unknown;
}

export interface WatchEventExpectation {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object?: Record<string, Expected>;
}

export interface WatchSpec {
  /** Collection to watch (default `${base}`; `${base:v1alpha}` watches through another version). */
  path?: string;
  /** Query of the watch request (watch=1 and the run's label selector are added). */
  query?: Record<string, string | number | boolean>;
  /** Steps run while the watch is open. */
  then: Step[];
  /** Events that must arrive, in this order (BOOKMARKs are ignored unless listed). */
  events: WatchEventExpectation[];
  /** Milliseconds to wait for the events once the last inner step is answered (default 2000). */
  timeoutMs?: number;
}

export interface Step {
  name: string;
  /** Only under these profiles (default: all). */
  profiles?: Profile[];
  request?: RequestSpec;
  watch?: WatchSpec;
  /** Invalid input: a 2xx answer fails negative_data_rejection. */
  negative?: boolean;
  expect?: Expectation;
  /** Per-profile expectations: under that profile they replace `expect` as a whole. */
  expectProfile?: Partial<Record<Profile, Expectation>>;
  /** name → JSON path of the response body (or `header:<name>`). */
  capture?: Record<string, string>;
  /** Milliseconds to wait for this request's answer, when longer than the run's --timeout. */
  timeoutMs?: number;
}

export interface Scenario {
  id: string;
  title: string;
  tags: string[];
  /**
   * The resource it tests, `<plural>.<group>` (or the plural) as openapi.yaml describes it;
   * default: the first the document describes. `${base}` is its collection.
   */
  resource?: string;
  /** Only under these profiles (default: all). */
  profiles?: Profile[];
  /** Target features the scenario needs; probed before the run (see features.ts). */
  requires?: string[];
  /** Skipped with this reason, whatever the target. */
  skip?: string;
  steps: Step[];
  /** The file it came from. */
  file: string;
}

export interface Exchange {
  method: string;
  url: string;
  /** The URL's path and query as the step built them (the target's base left out). */
  path: string;
  query: Record<string, string>;
  /** The headers the step itself sent (accept, content type, its own): no credential, no --header. */
  stepHeaders: Record<string, string>;
  /** Every header sent, credentials redacted. */
  requestHeaders: Record<string, string>;
  /** The body as the step built it (an object, or raw text), strings over 1 KiB clipped. */
  sentBody?: unknown;
  requestBody?: string;
  status: number;
  responseHeaders: Record<string, string>;
  /** Parsed JSON when it parses, else the text. */
  body: unknown;
  operationId?: string;
}

export interface Failure {
  /** The check that caught it, named as Schemathesis does where the meaning is the same. */
  check: string;
  step: string;
  /** JSON path the failure is about, when there is one. */
  path?: string;
  message: string;
  exchange?: Exchange;
  /** Set when a known-divergences entry covers it. */
  known?: string;
}

export type Outcome = 'passed' | 'failed' | 'skipped' | 'known';

export interface ScenarioResult {
  id: string;
  title: string;
  tags: string[];
  outcome: Outcome;
  skipReason?: string;
  durationMs: number;
  failures: Failure[];
  /** Every exchange, for --json and diff. */
  exchanges: Array<{ step: string; exchange: Exchange }>;
}
