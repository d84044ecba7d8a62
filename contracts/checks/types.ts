/**
 * What a check is and what it is shown. A check is one named function with one job; the runner
 * shows every registered check (registry.ts) that the run selected every response it gets:
 * each request's answer, each line of a watch stream, and each watch stream as a whole when it
 * ends. A check looks only at what concerns it and returns its failures, none when it holds.
 */
import type { ContractDocument, ContractOperation } from '../openapi/document.js';
import type { ResourceSet } from '../openapi/resources.js';
import type { Exchange, Expectation, Profile, WatchEventExpectation } from '../runner/types.js';
import type { ResponseSchemas } from './response-schema.js';

export interface CheckFailure {
  check: string;
  message: string;
  /** The JSON path (or `header:<name>`) the failure is about, when there is one. */
  path?: string;
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

/** The answer to one request. */
export interface ResponseSeen {
  on: 'response';
  exchange: Exchange;
  /** The operation of openapi.yaml the request matched, if any. */
  operation?: ContractOperation;
  /** What the step that sent it expects under the run's profile, placeholders filled in. */
  expect: Expectation;
  /** The step sends invalid input on purpose (`negative: true`). */
  negative: boolean;
  /** The answer opens a watch: a 200's body is a stream, whose lines are shown one by one. */
  watch: boolean;
  /** This request reads back what a create just answered 201 for: that create's exchange. */
  readBackOf?: Exchange;
  /** Uids whose delete completed earlier in the scenario, and where. */
  freed: ReadonlyMap<string, string>;
}

/** One line of a watch stream. */
export interface WatchEventSeen {
  on: 'watch-event';
  /** The request that opened the watch. */
  exchange: Exchange;
  operation?: ContractOperation;
  line: string;
  /** The line parsed; undefined when it is not JSON. */
  event?: WatchEvent;
  /** Uids the stream itself reported DELETED before this line, and where. */
  freed: ReadonlyMap<string, string>;
}

/** A watch stream once the step is over. */
export interface WatchEndSeen {
  on: 'watch-end';
  exchange: Exchange;
  /** The events received, BOOKMARKs left out unless the step expects one. */
  events: WatchEvent[];
  /** The events the step expects, in order, placeholders filled in. */
  expected: WatchEventExpectation[];
  /** How long the step waited for them after its last action. */
  timeoutMs: number;
}

export type Seen = ResponseSeen | WatchEventSeen | WatchEndSeen;

/** What every check may consult: the document, its compiled schemas, the profile, the resources. */
export interface CheckEnv {
  doc: ContractDocument;
  schemas: ResponseSchemas;
  profile: Profile;
  resources: ResourceSet;
}

export interface Check {
  /** As Schemathesis names it where the meaning is the same. */
  name: string;
  /** One line: what a failure of this check means. */
  description: string;
  /**
   * `contract`: a rule every response keeps whatever the scenario says; `scenario`: what a
   * step itself expects.
   */
  source: 'contract' | 'scenario';
  check(seen: Seen, env: CheckEnv): CheckFailure[];
}
