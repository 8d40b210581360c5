/**
 * Checking one prepared variant: explore random schedules, and on a violation minimise it and build the
 * counterexample — or search every schedule breadth-first, whose first violation is already a shortest one;
 * with no violation, make sure every `sometimes` property was reached (else the pass is vacuous).
 */
import type { Property } from '../../properties/property.ts';
import { counterexample, unreached, type ViolationReport } from './counterexample.ts';
import { minimise } from './minimise.ts';
import { runSetup, type Prepared } from './prepare.ts';
import { exploreRandom, type ExploreOptions } from './random.ts';
import { exploreExhaustive, type ExhaustiveBounds, type ExhaustiveStats } from './exhaustive.ts';
import type { FaultBudget } from '../sim/actions.ts';
import { fixedClockPlan, type FixedClocks } from './arbitraries.ts';

/** What checking a variant found. */
export interface VariantOutcome {
  /** The counterexample, or `null`. */
  readonly violation: ViolationReport | null;
  /** Schedules explored. */
  readonly schedules: number;
  /** The number of the schedule that found the reported violation, `null` without one. */
  readonly foundAt: number | null;
  /** Names of the `sometimes` properties some schedule reached. */
  readonly reached: readonly string[];
  /** Length of the failing run before minimisation, `null` without one. */
  readonly originalSteps: number | null;
  /** Runs cut off before their `eventually` properties could be judged (random and PCT search). */
  readonly unjudged?: number;
  /** For an exhaustive search: how far it got. */
  readonly exhaustive?: ExhaustiveStats;
}

/** Checks `prepared` by exhaustive search within `bounds`, under the fixed clocks (perfect ones elsewhere). */
export function checkExhaustively(prepared: Prepared, faults: FaultBudget, fixed: FixedClocks, bounds: ExhaustiveBounds, properties: readonly Property[]): VariantOutcome {
  const clocks = fixedClockPlan(prepared.processes.length, prepared.servers, fixed);
  const { found, reached, ...exhaustive } = exploreExhaustive(runSetup(prepared, clocks, faults), properties, bounds);
  const sorted = [...reached].sort();
  if (found) {
    const violation = counterexample(prepared, faults, clocks, found.actions, found.property);
    return { violation, schedules: 0, foundAt: null, reached: sorted, originalSteps: found.actions.length, exhaustive };
  }
  // Within bounds, an unreached `sometimes` may lie deeper: only an exhausted search shows it unreachable.
  const missed = exhaustive.exhausted ? properties.find((p) => p.kind === 'sometimes' && !reached.has(p.name)) : undefined;
  return { violation: missed ? unreached(missed, `${exhaustive.states} states`) : null, schedules: 0, foundAt: null, reached: sorted, originalSteps: null, exhaustive };
}

/** Checks `prepared` against `properties` (by default its own). */
export function checkVariant(prepared: Prepared, options: ExploreOptions, properties: readonly Property[] = prepared.instance.properties): VariantOutcome {
  const target = { ...prepared, instance: { ...prepared.instance, properties } };
  const exploration = exploreRandom(target, options);
  const found = exploration.found;
  if (found) {
    const property = found.execution.violation!.property;
    const setupFor = (clocks: Parameters<typeof runSetup>[1]) => runSetup(prepared, clocks, options.faults);
    const minimal = minimise(setupFor, property, { clocks: found.clocks, actions: found.execution.actions }, options.fixedClocks)!;
    return {
      violation: counterexample(prepared, options.faults, minimal.clocks, minimal.actions, property),
      schedules: exploration.schedules,
      foundAt: found.at,
      reached: [...exploration.reached].sort(),
      originalSteps: found.execution.actions.length,
    };
  }
  const missed = properties.find((p) => p.kind === 'sometimes' && !exploration.reached.has(p.name));
  return {
    violation: missed ? unreached(missed, `${exploration.schedules} schedules`) : null, schedules: exploration.schedules, foundAt: null,
    reached: [...exploration.reached].sort(), originalSteps: null, unjudged: exploration.unjudged,
  };
}
