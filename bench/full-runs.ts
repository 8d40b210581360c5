/**
 * Our side of the throughput measurement: the same loop as `exploreRandom` (fast-check draws a clock plan and a
 * schedule, `execute` runs it with every property checked after every step), except that a violation never
 * stops the search — so every schedule of a buggy variant runs to its end and schedules/s is comparable across
 * variants and with the baseline's complete runs.
 */
import fc from 'fast-check';
import { findScenario } from '../src/api/check.ts';
import { clockPlanArbitrary, scheduleArbitrary } from '../src/check/arbitraries.ts';
import { decoding, execute } from '../src/check/execute.ts';
import { findVariant, prepare, resolveParams, runSetup, type Prepared } from '../src/check/prepare.ts';
import type { FaultBudget } from '../src/sim/actions.ts';

/** The defaults of `check()` / `interleave check`: 2 pauses of up to 10 s, 1 crash, perfect clocks. */
export const DEFAULT_FAULTS: FaultBudget = { pauses: 2, crashes: 1, maxPauseMs: 10_000 };

/**
 * Builds an `inventory` variant with default parameters (3 buyers, stock 1, ttl 5000 ms).
 * @example const naive = prepareInventory('naive-lock');
 */
export function prepareInventory(variant: string, seed = 1): Prepared {
  const scenario = findScenario('inventory');
  return prepare(scenario, findVariant(scenario, variant), resolveParams(scenario, {}), seed);
}

/**
 * Runs `numRuns` complete schedules of `prepared` from `seed`, checking all its properties but never stopping;
 * returns how many broke an `always` property.
 * @example fullRuns(prepareInventory('naive-lock'), 1, 10_000) // { runs: 10000, violating: … }
 */
export function fullRuns(prepared: Prepared, seed: number, numRuns: number): { runs: number; violating: number } {
  const properties = prepared.instance.properties;
  let runs = 0;
  let violating = 0;
  const reached = new Set<string>(); // shared across runs, as in `exploreRandom`
  const arbitrary = fc.tuple(clockPlanArbitrary(prepared.processes.length, { maxSkewMs: 0, maxDriftPpm: 0 }), scheduleArbitrary());
  fc.check(fc.property(arbitrary, ([clocks, choices]) => {
    runs++;
    const run = execute(runSetup(prepared, clocks, DEFAULT_FAULTS), decoding(choices), { properties, reached, runToEnd: true });
    if (run.violation) violating++;
    return true;
  }), { seed, numRuns });
  return { runs, violating };
}
