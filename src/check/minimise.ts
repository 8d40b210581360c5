/**
 * Shrinks a failing run to a 1-minimal one: the same property still fails, and removing any single action
 * from the result no longer makes it fail. First whole processes go (a buyer the bug does not need
 * disappears); then a restarted service's later work goes to an identical idle process where that still
 * breaks the property ("the second worker takes over" needs no restart); then clock errors the user did not
 * fix (a clock the bug does not need reads true time); then pauses of one process are merged where one long
 * pause does, and cut to the least length that still breaks it; then single actions go until none can; last,
 * the story is reordered to switch between processes as seldom as it can. Actions that a removal leaves
 * disabled are skipped on re-execution and dropped.
 */
import { laneOf, type Action } from '../sim/actions.ts';
import { perfectClock, type ClockSpec } from '../sim/clock.ts';
import type { ClockPlan, RunSetup } from '../sim/run-setup.ts';
import type { Property } from '../../properties/property.ts';
import type { FixedClocks } from './arbitraries.ts';
import { execute, following } from './execute.ts';

type Attempt = (clocks: ClockPlan, actions: readonly Action[]) => Counterexample | null;

/** Removes single actions, last first, until removing any one loses the violation. */
function dropSingles(attempt: Attempt, start: Counterexample): Counterexample {
  let best = start;
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

/** Replaces two pauses of one process by one as long as both, where the violation stays: fewer faults read better. */
function mergePauses(attempt: Attempt, start: Counterexample): Counterexample {
  let best = start;
  for (let i = 0; i < best.actions.length; i++) {
    const first = best.actions[i];
    if (first.kind !== 'pause') continue;
    for (let j = i + 1; j < best.actions.length; j++) {
      const second = best.actions[j];
      if (second.kind !== 'pause' || second.proc !== first.proc) continue;
      const merged = best.actions.map((a, k) => (k === i ? { ...first, ms: first.ms + second.ms } : a)).filter((_, k) => k !== j);
      const candidate = attempt(best.clocks, merged);
      if (candidate) {
        best = candidate;
        i = -1;
        break;
      }
    }
  }
  return best;
}

/**
 * Shortens each pause to the least length (by bisection) that still breaks the property: a pause that ends the
 * moment the lock expires tells the story as well as a longer one, and lets a wait that only ran out the rest
 * of it go.
 */
function shortenPauses(attempt: Attempt, start: Counterexample): Counterexample {
  let best = start;
  for (let i = 0; i < best.actions.length; i++) {
    const pause = best.actions[i];
    if (pause.kind !== 'pause') continue;
    let [lo, hi] = [1, pause.ms];
    while (lo < hi) {
      const ms = Math.floor((lo + hi) / 2);
      const candidate = attempt(best.clocks, best.actions.map((a, k) => (k === i ? { ...pause, ms } : a)));
      if (candidate && candidate.actions.length <= best.actions.length && candidate.actions[i]?.kind === 'pause') {
        best = candidate;
        hi = ms;
      } else lo = ms + 1;
    }
  }
  return best;
}

/**
 * Hands a restarted service's work to an idle twin: for each restart, tries instead an identical process that
 * has not acted arriving at that point and taking every later action of the restarted one.
 */
function handOver(attempt: Attempt, start: Counterexample, twins: (p: number, q: number) => boolean): Counterexample {
  let best = start;
  for (let i = 0; i < best.actions.length; i++) {
    const restart = best.actions[i];
    if (restart.kind !== 'restart') continue;
    const acting = new Set(best.actions.map(laneOf));
    for (let q = 0; q < best.clocks.processes.length; q++) {
      if (acting.has(q) || !twins(restart.proc, q)) continue;
      const moved = best.actions.map((a, k): Action => {
        if (k < i || laneOf(a) !== restart.proc) return a;
        return k === i ? { kind: 'arrive', proc: q } : ({ ...a, proc: q } as Action);
      });
      const candidate = attempt(best.clocks, moved);
      if (candidate) {
        best = candidate;
        break;
      }
    }
  }
  return best;
}

const switches = (actions: readonly Action[]) => actions.reduce((n, a, i) => n + (i > 0 && laneOf(a) !== laneOf(actions[i - 1]) ? 1 : 0), 0);

/**
 * Reorders the story so it switches between processes as seldom as it can: moves single actions earlier while
 * that means fewer switches and the violation stays, with every action still taken. Returns `start` itself
 * when nothing improves.
 */
function tidy(attempt: Attempt, start: Counterexample): Counterexample {
  let best = start;
  for (let improved = true; improved; ) {
    improved = false;
    for (let from = 1; from < best.actions.length && !improved; from++) {
      for (let to = 0; to < from && !improved; to++) {
        const moved = [...best.actions];
        moved.splice(to, 0, ...moved.splice(from, 1));
        if (switches(moved) >= switches(best.actions)) continue;
        const candidate = attempt(best.clocks, moved);
        if (candidate && candidate.actions.length === best.actions.length && switches(candidate.actions) < switches(best.actions)) {
          best = candidate;
          improved = true;
        }
      }
    }
  }
  return best;
}

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
  const attempt: Attempt = (clocks, actions) => {
    const run = execute(setupFor(clocks), following(actions), { properties: [property] });
    return run.violation ? { clocks, actions: run.actions } : null;
  };
  let best = attempt(start.clocks, start.actions);
  if (!best) return null;
  const processCount = best.clocks.processes.length;
  for (let proc = 0; proc < processCount; proc++) {
    best = attempt(best.clocks, best.actions.filter((a) => !('proc' in a) || a.proc !== proc)) ?? best;
  }
  const perfectAt = (clocks: readonly ClockSpec[], at: number) => clocks.map((c, i) => (i === at ? perfectClock : c));
  for (let node = 0; node < processCount; node++) {
    if (fixed.processes?.[node]) continue;
    best = attempt({ ...best.clocks, processes: perfectAt(best.clocks.processes, node) }, best.actions) ?? best;
  }
  for (let server = 0; server < best.clocks.servers.length; server++) {
    if (fixed.servers?.[server]) continue;
    best = attempt({ ...best.clocks, servers: perfectAt(best.clocks.servers, server) }, best.actions) ?? best;
  }
  const { processes } = setupFor(best.clocks);
  best = handOver(attempt, best, (p, q) => processes[p].cache === processes[q].cache && processes[p].start === processes[q].start);
  best = mergePauses(attempt, best);
  best = shortenPauses(attempt, best);
  best = dropSingles(attempt, best);
  // Tidying may let another action go; repeat until neither changes anything.
  for (let tidied = tidy(attempt, best); tidied !== best; tidied = tidy(attempt, best)) best = dropSingles(attempt, tidied);
  return best;
}
