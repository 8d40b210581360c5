/**
 * Random (and PCT) search on several threads: thread i runs part i of n (random-part.ts), this one part 0, worker
 * threads the others. The parts share two
 * words of memory (`sharedControl`) — where the search stops, as far as any part has seen, and how many
 * schedules have run — so a part stops as soon as another's violation shows its remaining schedules are not
 * needed.
 */
import type { Prepared } from '../prepare.ts';
import type { Exploration, ExploreOptions } from '../random.ts';
import { jobOf } from './job.ts';
import { askThreads } from './pool.ts';
import { LAST, mergeRandomParts, RAN } from './random-part.ts';

/**
 * Explores random schedules of `prepared` on `threads` threads: the same exploration as `exploreRandom`.
 * @example exploreRandomInThreads(prepared, { seed: 1, runs: 10_000, faults, maxSkewMs: 0, maxDriftPpm: 0 }, 2)
 */
export function exploreRandomInThreads(prepared: Prepared, options: ExploreOptions, threads: number): Exploration {
  const job = jobOf(prepared, prepared.instance.properties);
  const words = new Int32Array(new SharedArrayBuffer(8));
  words[LAST] = options.runs;
  const { onProgress, ...plain } = options;
  const parts = askThreads(threads, (index) => ({ kind: 'random-part', job, options: plain, part: { index, count: threads }, control: words.buffer as SharedArrayBuffer }),
    () => onProgress?.(Atomics.load(words, RAN)));
  return mergeRandomParts(prepared, options, parts);
}
