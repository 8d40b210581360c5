/**
 * Section 7 of `npm run bench`: exhaustive search on one thread and on two — inventory's `fenced` variant with 4
 * buyers (9,684,805 states), depth-first: the threads share one table of visited states — each round in a fresh
 * process (`exhaustive-round.ts`), the two alternated so that drift in the machine's load hits both. The target:
 * 2 threads at least 1.7× as fast as 1. Breadth-first search on threads (level by level, a coordinator merging
 * each level) is timed once beside it, on 3 buyers, for comparison.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { median, table, thousands } from './measure.ts';

const ROUNDS = 3;
const CASE = ['inventory', 'fenced', JSON.stringify({ buyers: 4 }), 'plain'] as const;
const BREADTH_CASE = ['inventory', 'fenced', JSON.stringify({ buyers: 3 }), 'plain'] as const;

/** One exhaustive search on `threads` threads in a child process: its wall time (worker start-up included) and states. */
function round(threads: number, order: 'depth' | 'breadth' = 'depth'): { ms: number; states: number; peakRssBytes: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/exhaustive-round.ts', ...(order === 'depth' ? CASE : BREADTH_CASE), String(threads), order], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`exhaustive round on ${threads} threads failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/** Measures and prints section 7. */
export function compareThreads(): void {
  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const rows: string[][] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    for (const threads of [1, 2] as const) {
      const { ms, states, peakRssBytes } = round(threads);
      times[threads].push(ms);
      rows.push([String(r), String(threads), thousands(states), (ms / 1000).toFixed(1), thousands(states / (ms / 1000)), String(Math.round(peakRssBytes / 2 ** 20))]);
    }
  }
  const ratios = times[1].map((one, i) => one / times[2][i]);
  const [breadthOne, breadthTwo] = [round(1, 'breadth'), round(2, 'breadth')];
  console.log(`7. Exhaustive search on worker threads — inventory/fenced, 4 buyers, depth-first (${os.cpus().length} cpus; load average ${os.loadavg()[0].toFixed(1)} before)`);
  console.log(table(['round', 'threads', 'states', 's', 'states/s', 'peak RSS MB'], rows).join('\n'));
  console.log(`   1 thread ÷ 2 threads, per round: ${ratios.map((x) => `${x.toFixed(2)}×`).join(', ')}; median ${median(ratios).toFixed(2)}×  (target ≥ 1.7×: ${median(ratios) >= 1.7 ? 'met' : 'NOT met'})
   s: the whole check() in a fresh process, starting the worker thread (it loads the sources, about a second)
   included. The states are the same on either side: one table of visited states in shared memory, each state
   expanded by the thread that claims it first.
   Breadth-first on threads (level by level, merged by a coordinator), 3 buyers, once: 1 thread ${(breadthOne.ms / 1000).toFixed(1)} s,
   2 threads ${(breadthTwo.ms / 1000).toFixed(1)} s (${(breadthOne.ms / breadthTwo.ms).toFixed(2)}×).`);
}
