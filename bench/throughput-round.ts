/**
 * One timed round of complete runs, in a process of its own: `node --expose-gc --import tsx
 * bench/throughput-round.ts SIDE VARIANT RUNS SEED` prints `{"rate": runs/s, "violating": n}`. SIDE is
 * `interleave` (the inventory VARIANT) or `baseline` (its naive-lock). A fresh process per round warms only its
 * own workload, as one `interleave check` would: measured in one shared process, each side's code was made
 * slower by the other's (shared fast-check internals, garbage), by up to half.
 */
import { NaiveLockBaseline } from './baseline-naive-lock.ts';
import { fullRuns, prepareInventory } from './full-runs.ts';
import { timed } from './measure.ts';

const [side, variant, runsText, seedText] = process.argv.slice(2);
const runs = Number(runsText);
const seed = Number(seedText);

/**
 * Warms `round` up with the same amount of work under another seed (both sides' rounds take about as long, so
 * each gets the same time to optimise), collects the heap, then times it.
 */
async function measure(round: (seed: number, runs: number) => Promise<number> | number): Promise<void> {
  await round(seed + 1_000, runs);
  globalThis.gc?.();
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
