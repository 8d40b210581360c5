/**
 * Random exploration driven by fast-check: each sample draws a clock plan and a batch of schedule seeds from
 * arbitraries seeded by the one seed; each schedule seed drives a run, uniformly at random or by PCT. A run that breaks the variant's first `always` property (its headline,
 * e.g. no oversell) ends the search; one that breaks only a lesser property (e.g. mutual exclusion, the cause)
 * is kept while the search goes on looking for the headline — for a while: until 8 times as many schedules as
 * it took to find the first violation, and at least 500 (`lastSchedule`) — so a report leads with the consequence whenever one
 * is readily reachable, and a variant whose bug is another property's (a lost order, not a double charge) is
 * not searched to the end of its runs.
 * fast-check's own shrinking is skipped: the interleaving is minimised afterwards, on explicit actions.
 * Where the search stops depends only on which schedules broke which property, so it can be split across
 * worker threads or shards and merged with the same result (src/check/parallel/random-part.ts).
 */
import type { FaultBudget } from '../sim/actions.ts';
import type { ClockPlan } from '../sim/run-setup.ts';
import type { FixedClocks, SkewBounds } from './arbitraries.ts';
import type { Execution } from './execute.ts';
import type { Prepared } from './prepare.ts';
import { exploreRandomPart, localControl, mergeRandomParts, WHOLE } from './parallel/random-part.ts';

/** How to explore. */
export interface ExploreOptions extends SkewBounds {
  /** fast-check seed. */
  readonly seed: number;
  /** Number of schedules to try. */
  readonly runs: number;
  /** The fault budget of every run. */
  readonly faults: FaultBudget;
  /** Clocks the user fixed (never varied, never minimised away). */
  readonly fixedClocks?: FixedClocks;
  /** Called every 1000 schedules with the count so far. */
  readonly onProgress?: (schedules: number) => void;
  /** Explore all `runs` schedules even after a violation (for measuring throughput). */
  readonly exhaustRuns?: boolean;
  /**
   * Schedule each run by PCT with this bug depth (see pct.ts) instead of uniformly at random; change points are
   * drawn from the steps of the longest run so far (at least 32) — after the first 128 runs, so far in the
   * first 128 and in the same fast-check sample, so that a run's schedule does not depend on how the search is
   * split across threads.
   */
  readonly pctDepth?: number;
}

/** A run that broke a property, with the clock plan it ran under. */
export interface Found {
  /** The number of the schedule that found it (1-based). */
  readonly at: number;
  /** The clocks of the failing run. */
  readonly clocks: ClockPlan;
  /** The failing run. */
  readonly execution: Execution;
}

/** What exploration saw. */
export interface Exploration {
  /** The failing run of the highest-priority property found, or `null`. */
  readonly found: Found | null;
  /** Schedules tried (including the failing one). */
  readonly schedules: number;
  /** Names of `sometimes` properties some run reached. */
  readonly reached: ReadonlySet<string>;
  /** How many of the explored schedules broke an `always` property. */
  readonly violating: number;
  /** How many runs were cut off before their `eventually` properties could be judged. */
  readonly unjudged: number;
}

/**
 * Explores random schedules of `prepared` until one breaks an `always` property or `runs` are done: the whole
 * search as one part (see parallel/random-part.ts, which also splits it across threads and shards).
 */
export function exploreRandom(prepared: Prepared, options: ExploreOptions): Exploration {
  return mergeRandomParts(prepared, options, [exploreRandomPart(prepared, options, WHOLE, localControl(options))]);
}
