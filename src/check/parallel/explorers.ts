/** The explorers of a check on worker threads, as `searchPlan` (src/api/check.ts) takes them. */
import type { ExhaustiveExplorer, RandomExplorer } from '../check-variant.ts';
import type { Prepared } from '../prepare.ts';
import type { SearchOrder } from '../exhaustive.ts';
import { exploreDepthFirstInThreads } from './depth-first-threads.ts';
import { exploreExhaustiveInThreads } from './level-search.ts';
import { exploreRandomInThreads } from './random-threads.ts';

/**
 * Random and exhaustive search (in `order`) of `prepared` on `threads` threads.
 * @example searchPlan(plan, threadExplorers(plan.prepared, 2))
 */
export function threadExplorers(prepared: Prepared, threads: number, order: SearchOrder = 'breadth'): { random: RandomExplorer; exhaustive: ExhaustiveExplorer } {
  return {
    random: (target, options) => exploreRandomInThreads(target, options, threads),
    exhaustive: order === 'depth'
      ? (setup, properties, bounds) => exploreDepthFirstInThreads(prepared, setup, properties, bounds, threads)
      : (setup, properties, bounds) => exploreExhaustiveInThreads(prepared, setup, properties, bounds, threads),
  };
}
