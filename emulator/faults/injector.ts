/**
 * The fault injector: the active rules, their seeded PRNGs and counters, and the decision for
 * one request. Off (no rules) by default. Each rule draws from its own PRNG derived from the seed
 * and its id, so adding a rule does not change when the others fire: the same requests in the
 * same order fire the same faults in every run.
 */
import { errors, StatusError, type GroupResource } from '../machinery/status.js';
import { derivedPrng } from '../simulate/determinism.js';
import { compileRule, FaultConfigError, VERBS, type CompiledRule, type FaultConfig, type FaultRuleSpec } from './rules.js';

/** What the middleware knows about a request to the API. */
export interface FaultRequest {
  /** create, get, list, watch, update, patch, delete, deletecollection */
  verb: string;
  operationId: string;
  gr: GroupResource;
  /** The object's name, when the request names one (path or create body). */
  name?: string;
  /** Labels of the object concerned (stored, or sent on create); read only when a rule asks. */
  labels: () => Record<string, string> | undefined;
}

export interface FaultDecision {
  /** Ids of the rules that fired. */
  fired: string[];
  latencyMs: number;
  error?: StatusError;
  cutWatchAfterEvents?: number;
}

interface ActiveRule extends CompiledRule {
  prng: () => number;
  matched: number;
  fired: number;
}

export interface FaultRuleReport extends FaultRuleSpec {
  id: string;
  /** Requests the rule matched, and how many of them it fired on. */
  matched: number;
  fired: number;
}

export interface FaultReport {
  seed: number | string;
  rules: FaultRuleReport[];
}

const CONFLICT_WHY = 'the object has been modified; please apply your changes to the latest version and try again';

function injectedError(rule: ActiveRule, req: FaultRequest): StatusError {
  const e = rule.spec.error!;
  const retry = e.retryAfterSeconds;
  switch (e.code) {
    case 429:
      // What kube-apiserver's priority-and-fairness filter answers.
      return errors.tooManyRequests(e.message ?? 'Too many requests, please try again later.', retry ?? 1);
    case 500:
      return errors.internalError(e.message ?? `injected fault ${rule.id}`);
    case 503:
      return errors.serviceUnavailable(e.message ?? 'the server is currently unable to handle the request', retry);
    case 504:
      return errors.timeout(e.message ?? 'request did not complete within requested timeout - context deadline exceeded', retry);
    case 409:
      if (e.message) return new StatusError(409, 'Conflict', e.message, { ...(req.name ? { name: req.name } : {}), group: req.gr.group, kind: req.gr.resource });
      return errors.conflict(req.gr, req.name ?? '', CONFLICT_WHY);
  }
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private seed: number | string;

  /**
   * `operations`: the operationIds served, so that a misspelt operation is refused rather than
   * silently never matching (verbs are always known).
   */
  constructor(private readonly defaultSeed: number | string = 0, initial?: FaultConfig, private readonly operations?: ReadonlySet<string>) {
    this.seed = defaultSeed;
    if (initial) this.replace(initial);
  }

  get activeRules(): number {
    return this.rules.length;
  }

  /** Replaces every rule (counters start at zero). Throws FaultConfigError, keeping the old rules. */
  replace(config: FaultConfig): void {
    const seed = config.seed ?? this.defaultSeed;
    this.rules = this.compile(config.rules, seed, []);
    this.seed = seed;
  }

  /** Adds rules after the existing ones; a seed given here applies to the new rules. */
  add(config: FaultConfig): void {
    this.rules = [...this.rules, ...this.compile(config.rules, config.seed ?? this.seed, this.rules)];
  }

  /** Removes one rule; the others keep their counters and PRNGs. False when no rule has that id. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.seed = this.defaultSeed;
  }

  report(): FaultReport {
    return { seed: this.seed, rules: this.rules.map((r) => ({ id: r.id, ...r.spec, matched: r.matched, fired: r.fired })) };
  }

  decide(req: FaultRequest): FaultDecision | undefined {
    if (!this.rules.length) return undefined;
    const decision: FaultDecision = { fired: [], latencyMs: 0 };
    for (const rule of this.rules) {
      if (!this.matches(rule, req)) continue;
      rule.matched++;
      const { times, everyNth, probability } = rule.spec;
      if (times !== undefined && rule.fired >= times) continue;
      if (everyNth !== undefined && rule.matched % everyNth !== 0) continue;
      if (probability !== undefined && probability < 1 && !(rule.prng() < probability)) continue;
      rule.fired++;
      decision.fired.push(rule.id);
      if (rule.latencyMs || rule.jitterMs) decision.latencyMs += rule.latencyMs + Math.floor(rule.prng() * (rule.jitterMs + 1));
      if (rule.spec.error && !decision.error) decision.error = injectedError(rule, req);
      const cut = rule.spec.watch?.cutAfterEvents;
      if (cut !== undefined && req.verb === 'watch') decision.cutWatchAfterEvents = Math.min(decision.cutWatchAfterEvents ?? cut, cut);
    }
    return decision.fired.length ? decision : undefined;
  }

  private matches(rule: ActiveRule, req: FaultRequest): boolean {
    if (rule.operations && !rule.operations.has(req.verb) && !rule.operations.has(req.operationId)) return false;
    if (rule.name !== undefined && rule.name !== req.name) return false;
    if (rule.selector) {
      const labels = req.labels();
      // A request that concerns no single object (list, watch) has no labels to select on.
      if (labels === undefined || !rule.selector.matches(labels)) return false;
    }
    return true;
  }

  private compile(specs: FaultRuleSpec[], seed: number | string, existing: ActiveRule[]): ActiveRule[] {
    const ids = new Set(existing.map((r) => r.id));
    return specs.map((spec, i) => {
      const id = spec.id ?? `rule-${existing.length + i + 1}`;
      if (ids.has(id)) throw new FaultConfigError(`invalid fault rules: duplicate rule id ${JSON.stringify(id)}`);
      ids.add(id);
      for (const op of [spec.match?.operation ?? []].flat()) {
        if (this.operations && !(VERBS as readonly string[]).includes(op) && !this.operations.has(op)) {
          throw new FaultConfigError(`invalid fault rules: ${id}: match.operation ${JSON.stringify(op)} is neither a verb (${VERBS.join(', ')}) nor an operationId of openapi.yaml`);
        }
      }
      return { ...compileRule(spec, id), prng: derivedPrng(seed, id), matched: 0, fired: 0 };
    });
  }
}
