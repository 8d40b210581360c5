/**
 * Random exploration driven by fast-check: each run draws a clock plan and a schedule from arbitraries seeded by
 * the one seed, and the property is "no `always` property fails". fast-check's own shrinking is skipped (the
 * interleaving is minimised afterwards, on explicit actions, by `minimise`).
 */
import fc from 'fast-check';
import type { FaultBudget } from '../sim/actions.ts';
import type { ClockPlan } from '../sim/simulation.ts';
import { clockPlanArbitrary, scheduleArbitrary, type SkewBounds } from './arbitraries.ts';
import { decoding, execute, type Execution } from './execute.ts';
import { runSetup, type Prepared } from './prepare.ts';

/** How to explore. */
export interface ExploreOptions extends SkewBounds {
  /** fast-check seed. */
  readonly seed: number;
  /** Number of schedules to try. */
  readonly runs: number;
  /** The fault budget of every run. */
  readonly faults: FaultBudget;
  /** Called every `progressEvery` schedules with the count so far. */
  readonly onProgress?: (schedules: number) => void;
  /** How often to call `onProgress` (default 1000). */
  readonly progressEvery?: number;
}

/** A run that broke a property, with the clock plan it ran under. */
export interface Found {
  /** The clocks of the failing run. */
  readonly clocks: ClockPlan;
  /** The failing run. */
  readonly execution: Execution;
}

/** What exploration saw. */
export interface Exploration {
  /** The first failing run, or `null`. */
  readonly found: Found | null;
  /** Schedules tried (including the failing one). */
  readonly schedules: number;
  /** Names of `sometimes` properties some run reached. */
  readonly reached: ReadonlySet<string>;
}

/** Explores random schedules of `prepared` until one breaks an `always` property or `runs` are done. */
export function exploreRandom(prepared: Prepared, options: ExploreOptions): Exploration {
  const reached = new Set<string>();
  const properties = prepared.instance.properties;
  const every = options.progressEvery ?? 1000;
  let schedules = 0;
  let found: Found | null = null;
  const arbitrary = fc.tuple(clockPlanArbitrary(prepared.processes.length, options), scheduleArbitrary());
  fc.check(
    fc.property(arbitrary, ([clocks, choices]) => {
      schedules++;
      if (options.onProgress && schedules % every === 0) options.onProgress(schedules);
      const execution = execute(runSetup(prepared, clocks, options.faults), decoding(choices), { properties, reached, runToEnd: true });
      if (execution.violation === null) return true;
      found = { clocks, execution };
      return false;
    }),
    { seed: options.seed, numRuns: options.runs, endOnFailure: true },
  );
  return { found, schedules, reached };
}
