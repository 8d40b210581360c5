/**
 * Our side of the throughput measurement: `exploreRandom` exactly as `check()` runs it (every property checked
 * after every step), except that a violation never stops the search — so every schedule of a buggy variant runs
 * to its end and schedules/s is comparable across variants and with the baseline's complete runs.
 */
import { CHECK_DEFAULTS, defaultFaults, findScenario } from '../src/api/check.ts';
import { findVariant, prepare, resolveParams, type Prepared } from '../src/check/prepare.ts';
import { exploreRandom } from '../src/check/random.ts';

/**
 * Builds a variant of a built-in scenario with default parameters (for `inventory`: 3 buyers, stock 1, ttl 5000 ms).
 * @example const naive = prepareVariant('inventory', 'naive-lock');
 */
export function prepareVariant(scenarioName: string, variant: string, seed = 1): Prepared {
  const scenario = findScenario(scenarioName);
  return prepare(scenario, findVariant(scenario, variant), resolveParams(scenario, {}), seed);
}

/**
 * Runs `numRuns` complete schedules of `prepared` from `seed` under the fault budget `check()` gives its scenario
 * by default, checking all its properties but never stopping; returns how many broke an `always` property.
 * @example fullRuns(prepareVariant('inventory', 'naive-lock'), 1, 10_000) // { runs: 10000, violating: … }
 */
export function fullRuns(prepared: Prepared, seed: number, numRuns: number): { runs: number; violating: number } {
  const { schedules, violating } = exploreRandom(prepared, {
    seed, runs: numRuns, faults: defaultFaults(prepared.scenario), maxSkewMs: CHECK_DEFAULTS.maxSkewMs, maxDriftPpm: CHECK_DEFAULTS.maxDriftPpm, exhaustRuns: true,
  });
  return { runs: schedules, violating };
}
