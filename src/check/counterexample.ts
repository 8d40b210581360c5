/**
 * A counterexample as users see it: the violated property, the state that breaks it, the timeline of the run
 * and its replay token. The checker and `replay` both build it here from (clocks, actions, property), so a
 * replay prints the very same bytes.
 */
import { encodeAction, type Action, type FaultBudget } from '../sim/actions.ts';
import type { ClockPlan } from '../sim/run-setup.ts';
import { Simulation } from '../sim/simulation.ts';
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
  /**
   * For a run that never ends (a lasso): the decision from which the run repeats for ever; the timeline marks
   * the spot with `∞`. Absent for a run that ends.
   */
  readonly loopsFrom?: number;
}

/** The timeline line that marks where a lasso's loop begins. */
export const LOOP_MARK = '∞ from here the run repeats for ever';

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

/**
 * A run that never ends, as users see it: `stem` leads to a state that `loop` returns to, and the `eventually`
 * `property` is unmet in every state of the loop, so a run that goes round it for ever never meets it. Throws
 * when the actions do not form such a lasso (a token that no longer reproduces).
 */
export function lassoCounterexample(prepared: Prepared, faults: FaultBudget, clocks: ClockPlan, stem: readonly Action[], loop: readonly Action[], property: Property): ViolationReport {
  const simulation = new Simulation(runSetup(prepared, clocks, faults), true);
  const take = (action: Action) => {
    if (!simulation.isEnabled(action)) throw new Error(`action ${encodeAction(action)} cannot be taken`);
    simulation.apply(action);
  };
  stem.forEach(take);
  const { high, low } = simulation.fingerprint();
  const stemEvents = simulation.events!.length;
  for (const action of [undefined, ...loop]) {
    if (action) take(action);
    if (property.test(simulation)) throw new Error(`${property.name} holds on the loop`);
  }
  const back = simulation.fingerprint();
  if (loop.length === 0 || back.high !== high || back.low !== low) throw new Error('the loop does not come back to where it began');
  const names = prepared.processes.map((p) => p.name);
  const steps = timelineSteps(simulation.events!, names);
  const at = timelineSteps(simulation.events!.slice(0, stemEvents), names).length;
  const first = steps[at] ?? steps[steps.length - 1];
  const actions = [...stem, ...loop];
  return {
    property: property.name,
    description: property.description,
    message: `from ∞ on the run repeats for ever, and it never holds`,
    steps: [...steps.slice(0, at), { t: first.t, node: first.node, clock: first.clock, text: LOOP_MARK }, ...steps.slice(at)],
    decisions: actions.length,
    replay: encodeToken({
      scenario: prepared.scenario.name, variant: prepared.variant.name, params: prepared.params, seed: prepared.seed,
      faults, clocks, property: property.name, actions, loopsFrom: stem.length,
    }),
    loopsFrom: stem.length,
  };
}

/** The report for a `sometimes` property that no run reached; `searched` says what was searched, e.g. `10000 schedules`. */
export function unreached(property: Property, searched: string): ViolationReport {
  return { property: property.name, description: property.description, message: `never reached in ${searched}`, steps: [], decisions: 0, replay: null };
}
