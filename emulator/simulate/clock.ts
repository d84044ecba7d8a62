/**
 * The emulator's clock, controllable by test harnesses: real time shifted by an offset, or a
 * frozen instant (`--clock fixed:<RFC 3339>`), either of which can be moved forward or set
 * through the admin API. Timestamps in responses (creationTimestamp, managedFields, conditions,
 * Table ages) all read it.
 */
import { parseGoDuration } from '../machinery/go-duration.js';

export interface ClockState {
  now: string;
  fixed: boolean;
}

export class ControllableClock {
  private frozen: number | undefined;
  private offsetMs = 0;

  /** Real time in milliseconds: Date.now unless a clock function was given. */
  private readonly realMs: () => number;

  constructor(fixedAt?: Date, real?: () => Date) {
    if (fixedAt) this.frozen = fixedAt.getTime();
    this.realMs = real ? () => real().getTime() : Date.now;
  }

  /** The function handed to the registry as its clock. */
  readonly now = (): Date => new Date(this.nowMs());

  /** The same instant in milliseconds, without a Date (the request log reads it for every request). */
  readonly nowMs = (): number => this.frozen ?? this.realMs() + this.offsetMs;

  get fixed(): boolean {
    return this.frozen !== undefined;
  }

  /** Moves the clock forward (a fixed clock stays fixed). The clock never runs backwards this way. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock can only be advanced by a non-negative duration');
    if (this.frozen !== undefined) this.frozen += ms;
    else this.offsetMs += ms;
  }

  /** Sets the current time (a fixed clock stays fixed; a running one keeps running from there). */
  set(at: Date): void {
    if (this.frozen !== undefined) this.frozen = at.getTime();
    else this.offsetMs = at.getTime() - this.realMs();
  }

  state(): ClockState {
    return { now: this.now().toISOString(), fixed: this.fixed };
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp, or an Error naming what is wrong. */
export function parseRfc3339(value: string): Date {
  const d = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(d.getTime())) throw new Error(`${JSON.stringify(value)} is not an RFC 3339 time (e.g. 2026-01-01T00:00:00Z)`);
  return d;
}

/** `--clock` values: `real` or `fixed:<RFC 3339>`. Returns the fixed instant, or undefined for real time. */
export function parseClockFlag(value: string): Date | undefined {
  if (value === 'real') return undefined;
  if (!value.startsWith('fixed:')) throw new Error(`--clock must be "real" or "fixed:<RFC 3339 time>", got ${JSON.stringify(value)}`);
  return parseRfc3339(value.slice('fixed:'.length));
}

/** A Go duration ("90s", "1h30m") in milliseconds. */
export function durationMs(value: string): number {
  return Number(parseGoDuration(value) / 1_000_000n);
}
