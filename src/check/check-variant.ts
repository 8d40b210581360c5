/**
 * Checking one prepared variant: explore random schedules, and on a violation minimise it and build the
 * counterexample; with no violation, make sure every `sometimes` property was reached (else the pass is vacuous).
 */
import type { Property } from '../../properties/property.ts';
import { counterexample, unreached, type ViolationReport } from './counterexample.ts';
import { minimise } from './minimise.ts';
import { runSetup, type Prepared } from './prepare.ts';
import { exploreRandom, type ExploreOptions } from './random.ts';

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
  return { violation: missed ? unreached(missed, exploration.schedules) : null, schedules: exploration.schedules, foundAt: null, reached: [...exploration.reached].sort(), originalSteps: null };
}
