/** The explorers of a check on worker threads, as `searchPlan` (src/api/check.ts) takes them. */
import type { ExhaustiveExplorer, RandomExplorer } from '../check-variant.ts';
import type { Prepared } from '../prepare.ts';
import { exploreExhaustiveInThreads } from './level-search.ts';
import { exploreRandomInThreads } from './random-threads.ts';

/**
 * Random and exhaustive search of `prepared` on `threads` worker threads.
 * @example searchPlan(plan, threadExplorers(plan.prepared, 2))
 */
export function threadExplorers(prepared: Prepared, threads: number): { random: RandomExplorer; exhaustive: ExhaustiveExplorer } {
  return {
    random: (target, options) => exploreRandomInThreads(target, options, threads),
    exhaustive: (setup, properties, bounds) => exploreExhaustiveInThreads(prepared, setup, properties, bounds, threads),
  };
}
