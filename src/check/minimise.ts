/**
 * Shrinks a failing run to a 1-minimal one: the same property still fails, and removing any single action
 * from the result no longer makes it fail. First whole processes go (a buyer the bug does not need
 * disappears), then clock errors the user did not fix (a clock the bug does not need reads true time), then
 * single actions until
 * none can be removed. Actions that a removal leaves disabled are skipped on re-execution and dropped.
 */
import type { Action } from '../sim/actions.ts';
import { perfectClock } from '../sim/clock.ts';
import type { ClockPlan, RunSetup } from '../sim/simulation.ts';
import type { Property } from '../../properties/property.ts';
import type { FixedClocks } from './arbitraries.ts';
import { execute, following } from './execute.ts';

/** A candidate counterexample: clocks and actions. */
export interface Counterexample {
  /** Every node's clock. */
  readonly clocks: ClockPlan;
  /** The actions, ending with the one after which the property fails. */
  readonly actions: readonly Action[];
}

/**
 * The 1-minimal counterexample for `property` found from `start`, or `null` if `start` does not break it.
 * `setupFor` builds a run's setup for a clock plan.
 */
export function minimise(setupFor: (clocks: ClockPlan) => RunSetup, property: Property, start: Counterexample, fixed: FixedClocks = {}): Counterexample | null {
  const attempt = (clocks: ClockPlan, actions: readonly Action[]): Counterexample | null => {
    const run = execute(setupFor(clocks), following(actions), { properties: [property] });
    return run.violation ? { clocks, actions: run.actions } : null;
  };
  let best = attempt(start.clocks, start.actions);
  if (!best) return null;
  const processCount = best.clocks.processes.length;
  for (let proc = 0; proc < processCount; proc++) {
    best = attempt(best.clocks, best.actions.filter((a) => !('proc' in a) || a.proc !== proc)) ?? best;
  }
  for (let node = 0; node <= processCount; node++) {
    if (node === processCount ? fixed.server : fixed.processes?.[node]) continue;
    const clocks: ClockPlan = node === processCount
      ? { ...best.clocks, server: perfectClock }
      : { ...best.clocks, processes: best.clocks.processes.map((c, i) => (i === node ? perfectClock : c)) };
    best = attempt(clocks, best.actions) ?? best;
  }
  for (let shrunk = true; shrunk; ) {
    shrunk = false;
    for (let i = best.actions.length - 1; i >= 0; i--) {
      const smaller = attempt(best.clocks, [...best.actions.slice(0, i), ...best.actions.slice(i + 1)]);
      if (smaller) {
        best = smaller;
        shrunk = true;
        i = Math.min(i, best.actions.length);
      }
    }
  }
  return best;
}
