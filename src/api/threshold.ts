/**
 * `threshold(scenario, options)`: the library form of `interleave threshold`. It finds the least value of one
 * adversarial bound (clock skew, drift, jump size, pause length) at which a variant breaks, by bisection over
 * exhaustive searches: every probe below the answer is a proof within the fault budget, the probe at the answer
 * a shortest counterexample. Bisection assumes that a larger bound never repairs a broken variant; the two ends
 * are both checked, so an answer is never given without a failing probe and a holding one beside it.
 */
import type { Scenario } from '../scenario.ts';
import { UsageError } from '../check/prepare.ts';
import { check, type CheckOptions, type CheckResult } from './check.ts';

/**
 * The bounds a threshold can be searched for, by their command-line names.
 * @example THRESHOLD_BOUNDS['max-skew'] // 'maxSkewMs', the CheckOptions field it sets
 */
export const THRESHOLD_BOUNDS = {
  /** The largest clock offset of any node, ms. */
  'max-skew': 'maxSkewMs',
  /** The largest clock drift of any node, ppm. */
  'max-drift': 'maxDriftPpm',
  /** The size of a clock jump, ms (with one jump in the budget unless `jumps` says otherwise). */
  'max-jump': 'maxJumpMs',
  /** The longest pause, ms (with one pause in the budget unless `pauses` says otherwise). */
  'max-pause': 'maxPauseMs',
} as const satisfies Record<string, keyof CheckOptions>;

/** A bound a threshold can be searched for. */
export type ThresholdBound = keyof typeof THRESHOLD_BOUNDS;

/** Options of `threshold`: those of an exhaustive `check`, plus which bound to vary and over what range. */
export interface ThresholdOptions extends Omit<CheckOptions, 'mode'> {
  /** The bound to vary. */
  readonly bound: ThresholdBound;
  /** The smallest value tried (default: 0, or 1 for `max-pause`). */
  readonly from?: number;
  /** The largest value tried (default 10,000). */
  readonly to?: number;
}

/** One exhaustive search at one value of the bound. */
export interface ThresholdProbe {
  /** The bound's value. */
  readonly value: number;
  /** Whether a property failed. */
  readonly result: CheckResult['result'];
  /** The property that failed, if one did. */
  readonly property: string | null;
  /** Distinct states the search visited. */
  readonly states: number;
  /** True when the search visited every reachable state (a `none` is then a proof). */
  readonly exhausted: boolean;
}

/** What `threshold` found. */
export interface ThresholdResult {
  /** Scenario name. */
  readonly scenario: string;
  /** Variant name. */
  readonly variant: string;
  /** The bound varied. */
  readonly bound: ThresholdBound;
  /** The range searched. */
  readonly from: number;
  /** The range searched. */
  readonly to: number;
  /** The least failing value, or `null` when the variant holds up to `to` (or already fails at `from`). */
  readonly threshold: number | null;
  /** `found`, `holds` (no failure up to `to`), `fails-at-from`, or `inconclusive` (a holding probe hit a search bound). */
  readonly outcome: 'found' | 'holds' | 'fails-at-from' | 'inconclusive';
  /** Every probe, in the order run. */
  readonly probes: readonly ThresholdProbe[];
  /** The check at the threshold (its counterexample is a shortest one), or at the last probe run. */
  readonly check: CheckResult;
}

/**
 * Bisects `options.bound` over [from, to] for the least value at which `scenario` fails under exhaustive search.
 * @example threshold('clock-skew', { variant: 'timestamp-lock', bound: 'max-skew', to: 5000 }).threshold // 2501
 */
export function threshold(scenario: Scenario | string, options: ThresholdOptions): ThresholdResult {
  const { bound, from = bound === 'max-pause' ? 1 : 0, to = 10_000, ...rest } = options;
  if (!(bound in THRESHOLD_BOUNDS)) throw new UsageError(`--bound must be one of ${Object.keys(THRESHOLD_BOUNDS).join(', ')}, got '${bound}'`);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to <= from) throw new UsageError(`--from and --to must be integers with 0 ≤ from < to, got ${from} and ${to}`);
  // A jump needs a jump in the budget to mean anything; a pause, a pause.
  const needs = bound === 'max-jump' ? { jumps: rest.jumps ?? 1 } : bound === 'max-pause' ? { pauses: rest.pauses ?? 1 } : {};
  const probes: ThresholdProbe[] = [];
  const probe = (value: number): CheckResult => {
    const result = check(scenario, { ...rest, ...needs, mode: 'exhaustive', [THRESHOLD_BOUNDS[bound]]: value });
    const stats = result.stats.exhaustive!;
    probes.push({ value, result: result.result, property: result.violation?.property ?? null, states: stats.states, exhausted: stats.exhausted });
    return result;
  };
  const done = (outcome: ThresholdResult['outcome'], at: number | null, last: CheckResult): ThresholdResult =>
    ({ scenario: last.scenario, variant: last.variant, bound, from, to, threshold: at, outcome, probes, check: last });
  let failing = probe(to);
  if (failing.result === 'none') return done(failing.stats.exhaustive!.exhausted ? 'holds' : 'inconclusive', null, failing);
  const atFrom = probe(from);
  if (atFrom.result === 'violation') return done('fails-at-from', null, atFrom);
  if (!atFrom.stats.exhaustive!.exhausted) return done('inconclusive', null, atFrom);
  let [holds, fails] = [from, to];
  while (fails - holds > 1) {
    const mid = holds + Math.floor((fails - holds) / 2);
    const result = probe(mid);
    if (result.result === 'violation') [fails, failing] = [mid, result];
    else if (!result.stats.exhaustive!.exhausted) return done('inconclusive', null, result);
    else holds = mid;
  }
  return done('found', fails, failing);
}
