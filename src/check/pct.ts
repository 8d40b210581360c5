/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized Scheduler with
 * Probabilistic Guarantees of Finding Bugs", ASPLOS 2010) as a chooser. Each lane — every process, and time
 * itself (the `wait` action) — gets a distinct random priority above `depth`; before the run, `depth − 1` change
 * points are drawn uniformly from steps 1 … k. At each step the highest-priority lane that can act does; at the
 * i-th change point, the lane about to act is first demoted to priority `depth − i`, below every initial one.
 *
 * The guarantee (the paper's Theorem 1): for a bug of depth d — one that needs d ordering constraints between
 * steps to show — in a run of at most k steps among n lanes, one PCT run finds it with probability at least
 * 1 / (n · k^(d−1)); r runs miss it with probability at most (1 − 1/(n · k^(d−1)))^r. Faults (pauses, crashes,
 * losses, channel closes) are drawn as in random mode, so the bound holds for a bug that needs no fault, and,
 * for one that does, once its faults have landed.
 */
import { laneOf, type Action } from '../sim/actions.ts';
import type { Simulation } from '../sim/simulation.ts';
import { createPrng, type Prng } from '../sim/prng.ts';
import { faultOf, type Chooser } from './execute.ts';

/**
 * A PCT chooser for one run: lanes are the `lanes` processes and time; `depth` is the bug depth d; `maxSteps`
 * the bound k on the run's length from which change points are drawn.
 * @example execute(setup, pct(42, 3, 3, 40), { properties })
 */
export function pct(scheduleSeed: number, lanes: number, depth: number, maxSteps: number): Chooser {
  return new Pct(createPrng(scheduleSeed), lanes, depth, maxSteps);
}

class Pct implements Chooser {
  /** Priority by lane: processes 0 … n − 1, then time at index n. */
  private readonly priorities: number[];
  /** The steps (1-based) at which the lane about to act is demoted, ascending. */
  private readonly changePoints: number[];
  private step = 0;
  private changed = 0;

  constructor(private readonly prng: Prng, lanes: number, private readonly depth: number, maxSteps: number) {
    // A random permutation of depth … depth + lanes (Fisher–Yates), one priority per lane and one for time.
    const priorities = Array.from({ length: lanes + 1 }, (_, i) => depth + i);
    for (let i = priorities.length - 1; i > 0; i--) {
      const j = prng.int(0, i);
      [priorities[i], priorities[j]] = [priorities[j], priorities[i]];
    }
    this.priorities = priorities;
    this.changePoints = Array.from({ length: depth - 1 }, () => prng.int(1, Math.max(1, maxSteps))).sort((a, b) => a - b);
  }

  choose(simulation: Simulation): Action | null {
    const fault = faultOf(this.prng.int(0, 0x7fffffff), this.prng, simulation);
    if (fault) return fault;
    const progress = simulation.progressActions();
    if (progress.length === 0) return null;
    this.step++;
    let chosen = this.highest(progress);
    while (this.changePoints[this.changed] === this.step) {
      this.priorities[this.lane(chosen)] = this.depth - 1 - this.changed++;
      chosen = this.highest(progress);
    }
    return chosen;
  }

  /** The lane's index in `priorities`: time is the last. */
  private lane(action: Action): number {
    const lane = laneOf(action);
    return lane < 0 ? this.priorities.length - 1 : lane;
  }

  private highest(actions: readonly Action[]): Action {
    let best = actions[0];
    for (const action of actions) if (this.priorities[this.lane(action)] > this.priorities[this.lane(best)]) best = action;
    return best;
  }
}
