/**
 * Time to the first counterexample as a user meets it: one whole `check()` per seed — search, minimisation of
 * the failing run, and the report — timed from outside, in this process.
 */
import { check, type CheckOptions, type CheckResult } from '../src/api/check.ts';
import type { ViolationReport } from '../src/check/counterexample.ts';
import { timed } from './measure.ts';

/** One seed's check that found a counterexample. */
export interface TimedCounterexample {
  /** The seed. */
  readonly seed: number;
  /** Wall time of the whole `check()`, ms. */
  readonly ms: number;
  /** What `check()` returned. */
  readonly result: CheckResult;
  /** Its counterexample (a run that breaks an `always` property, with a replay token). */
  readonly violation: ViolationReport;
}

/**
 * Runs `check(scenario, { ...options, seed })` for every seed, one after the other; returns the counterexamples
 * found and the seeds that found none (a result without a replayable violation) within the run budget.
 * @example const { found, misses } = await firstCounterexamples('payment', { variant: 'ack-after' }, [1, 2, 3]);
 */
export async function firstCounterexamples(scenario: string, options: CheckOptions, seeds: readonly number[]): Promise<{ found: TimedCounterexample[]; misses: number[] }> {
  const found: TimedCounterexample[] = [];
  const misses: number[] = [];
  for (const seed of seeds) {
    const { value: result, ms } = await timed(() => check(scenario, { ...options, seed }));
    if (result.violation?.replay) found.push({ seed, ms, result, violation: result.violation });
    else misses.push(seed);
  }
  return { found, misses };
}
