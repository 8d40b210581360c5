/**
 * One timed round of complete runs, in a process of its own: `node --import tsx bench/throughput-round.ts SIDE
 * VARIANT RUNS SEED` prints `{"rate": runs/s, "violating": n}`. SIDE is `interleave` (the inventory VARIANT)
 * or `baseline` (its naive-lock). A fresh process per round warms only its own workload, as one `interleave
 * check` would: measured in one shared process, each side's code was made slower by the other's (shared
 * fast-check internals, garbage), by up to half.
 */
import { NaiveLockBaseline } from './baseline-naive-lock.ts';
import { fullRuns, prepareInventory } from './full-runs.ts';
import { timed } from './measure.ts';

const [side, variant, runsText, seedText] = process.argv.slice(2);
const runs = Number(runsText);
const seed = Number(seedText);

/** Wall time each side runs before it is timed: V8 needs seconds, not runs, to reach its optimised code. */
const WARM_UP_MS = 2_500;

/**
 * Warms `round` up for the same wall time on either side (under other seeds), then times it. No forced GC in
 * between: the process is fresh, and a forced full collection was seen to throw our optimised code back.
 */
async function measure(round: (seed: number, runs: number) => Promise<number> | number): Promise<void> {
  const started = performance.now();
  for (let k = 1; performance.now() - started < WARM_UP_MS; k++) await round(seed + 1_000 * k, Math.ceil(runs / 4));
  const { value, ms } = await timed(() => round(seed, runs));
  console.log(JSON.stringify({ rate: runs / (ms / 1000), violating: value }));
}

if (side === 'interleave') {
  const prepared = prepareInventory(variant);
  await measure((s, n) => fullRuns(prepared, s, n).violating);
} else if (side === 'baseline') {
  const baseline = new NaiveLockBaseline();
  await measure(async (s, n) => (await baseline.fullRuns(s, n)).oversold);
} else {
  throw new Error(`usage: throughput-round.ts interleave|baseline VARIANT RUNS SEED (got ${side})`);
}
