/**
 * Random exploration driven by fast-check: each sample draws a clock plan and a batch of schedule seeds from
 * arbitraries seeded by the one seed; each schedule seed drives a run, uniformly at random or by PCT. A run that breaks the variant's first `always` property (its headline,
 * e.g. no oversell) ends the search; one that breaks only a lesser property (e.g. mutual exclusion, the cause)
 * is kept while the search goes on looking for the headline — for a while: until `HEADLINE_PATIENCE` times as
 * many schedules as it took to find the first violation, and at least 500 — so a report leads with the consequence whenever one
 * is readily reachable, and a variant whose bug is another property's (a lost order, not a double charge) is
 * not searched to the end of its runs.
 * fast-check's own shrinking is skipped: the interleaving is minimised afterwards, on explicit actions.
 */
import fc from 'fast-check';
import type { FaultBudget } from '../sim/actions.ts';
import type { ClockPlan } from '../sim/simulation.ts';
import { createPrng } from '../sim/prng.ts';
import { clockPlanArbitrary, scheduleArbitrary, type FixedClocks, type SkewBounds } from './arbitraries.ts';
import { decoding, execute, type Execution } from './execute.ts';
import { pct } from './pct.ts';
import { runSetup, type Prepared } from './prepare.ts';

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
   * drawn from the steps of the longest run so far.
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

/** Schedules per fast-check sample. */
const BATCH = 16;

/** After the first violation at schedule k, the search for the headline goes on up to schedule k × this … */
const HEADLINE_PATIENCE = 8;
/** … and at least up to this schedule. */
const HEADLINE_SEARCH_MIN = 500;

/** Explores random schedules of `prepared` until one breaks an `always` property or `runs` are done. */
export function exploreRandom(prepared: Prepared, options: ExploreOptions): Exploration {
  const reached = new Set<string>();
  const properties = prepared.instance.properties;
  const invariants = properties.filter((p) => p.kind !== 'sometimes');
  const rank = (found: Found | null) => (found ? invariants.indexOf(found.execution.violation!.property) : invariants.length);
  let schedules = 0;
  let violating = 0;
  let unjudged = 0;
  let found: Found | null = null;
  let firstAt = 0;
  /** PCT's bound k on a run's length: the longest run so far. */
  let longest = 32;
  const lanes = prepared.processes.length;
  /** Runs one schedule; false when the search should stop. */
  const runOne = (clocks: ClockPlan, schedule: number): boolean => {
    schedules++;
    if (options.onProgress && schedules % 1000 === 0) options.onProgress(schedules);
    const chooser = options.pctDepth === undefined ? decoding(schedule) : pct(schedule, lanes, options.pctDepth, longest);
    const execution = execute(runSetup(prepared, clocks, options.faults), chooser, { properties, reached, runToEnd: true });
    longest = Math.max(longest, execution.actions.length);
    if (!execution.judged) unjudged++;
    if (execution.violation !== null) {
      violating++;
      firstAt ||= schedules;
      const candidate = { at: schedules, clocks, execution };
      if (rank(candidate) < rank(found)) found = candidate;
    }
    if (options.exhaustRuns === true || found === null) return true;
    return rank(found) > 0 && schedules < Math.max(firstAt * HEADLINE_PATIENCE, HEADLINE_SEARCH_MIN);
  };
  // One fast-check sample is a batch of schedules sharing a clock plan: a sample costs about as much as a
  // whole run of a small scenario, so batching keeps fast-check's bookkeeping off the hot path.
  const arbitrary = fc.tuple(clockPlanArbitrary(prepared.processes.length, options, options.fixedClocks, prepared.servers), scheduleArbitrary());
  fc.check(
    fc.property(arbitrary, ([clocks, batch]) => {
      const schedulesOfBatch = createPrng(batch);
      for (let i = 0; i < BATCH && schedules < options.runs; i++) {
        if (!runOne(clocks, schedulesOfBatch.int(0, 0x7fffffff))) return false;
      }
      return true;
    }),
    { seed: options.seed, numRuns: Math.ceil(options.runs / BATCH), endOnFailure: true },
  );
  return { found, schedules, reached, violating, unjudged };
}
