/**
 * A counterexample as users see it: the violated property, the state that breaks it, the timeline of the run
 * and its replay token. The checker and `replay` both build it here from (clocks, actions, property), so a
 * replay prints the very same bytes.
 */
import type { Action, FaultBudget } from '../sim/actions.ts';
import type { ClockPlan } from '../sim/simulation.ts';
import type { Property } from '../../properties/property.ts';
import { timelineSteps, type TimelineStep } from '../report/timeline.ts';
import { execute, following } from './execute.ts';
import { runSetup, type Prepared } from './prepare.ts';
import { encodeToken } from './replay-token.ts';

/** A violation as reported (the `violation` of `--json`). */
export interface ViolationReport {
  /** The violated property's name. */
  readonly property: string;
  /** What the property demands. */
  readonly description: string;
  /** The state that breaks it. */
  readonly message: string;
  /** The timeline, one step per event. */
  readonly steps: readonly TimelineStep[];
  /** Scheduler decisions in the counterexample (an arrival with its first command is one). */
  readonly decisions: number;
  /** Pass to `interleave replay` to reproduce it; `null` for a `sometimes` never reached. */
  readonly replay: string | null;
}

/** Re-runs `actions` under `clocks`, recording, and reports the violation of `property` it must end in. */
export function counterexample(prepared: Prepared, faults: FaultBudget, clocks: ClockPlan, actions: readonly Action[], property: Property): ViolationReport {
  const run = execute(runSetup(prepared, clocks, faults), following(actions), { properties: [property], record: true });
  if (!run.violation) throw new Error(`the counterexample no longer breaks ${property.name}`);
  const names = prepared.processes.map((p) => p.name);
  return {
    property: property.name,
    description: property.description,
    message: run.violation.explanation,
    steps: timelineSteps(run.simulation.events!, names),
    decisions: run.actions.length,
    replay: encodeToken({
      scenario: prepared.scenario.name, variant: prepared.variant.name, params: prepared.params, seed: prepared.seed,
      faults, clocks, property: property.name, actions: run.actions,
    }),
  };
}

/** The report for a `sometimes` property that no run reached; `searched` says what was searched, e.g. `10000 schedules`. */
export function unreached(property: Property, searched: string): ViolationReport {
  return { property: property.name, description: property.description, message: `never reached in ${searched}`, steps: [], decisions: 0, replay: null };
}
