/**
 * One timed round of complete runs, in a process of its own: `node --import tsx bench/throughput-round.ts SIDE
 * SCENARIO VARIANT RUNS SEED` prints `{"rate": runs/s, "violating": n}`. SIDE is
 *   - `interleave`: `fullRuns` of the SCENARIO's VARIANT (exploration only, never stopping at a violation);
 *   - `check`: one whole `check(SCENARIO, { variant: VARIANT, seed, runs })`, the library call a user makes —
 *     only for a variant that holds, where it explores every schedule (the round fails otherwise);
 *   - `baseline`: the fast-check baseline of inventory's naive-lock (SCENARIO and VARIANT must name it).
 * A fresh process per round warms only its own workload, as one `interleave check` would: measured in one
 * shared process, each side's code was made slower by the other's (shared fast-check internals, garbage), by up
 * to half.
 */
import { check } from '../src/api/check.ts';
import { NaiveLockBaseline } from './baseline-naive-lock.ts';
import { fullRuns, prepareVariant } from './full-runs.ts';
import { timed } from './measure.ts';

const [side, scenario, variant, runsText, seedText] = process.argv.slice(2);
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
  const prepared = prepareVariant(scenario, variant);
  await measure((s, n) => fullRuns(prepared, s, n).violating);
} else if (side === 'check') {
  await measure((s, n) => {
    const result = check(scenario, { variant, seed: s, runs: n });
    if (result.result !== 'none' || result.stats.schedules !== n) throw new Error(`check: ${scenario}/${variant} did not run all ${n} schedules clean (${result.violation?.property} at ${result.stats.schedules})`);
    return 0;
  });
} else if (side === 'baseline' && scenario === 'inventory' && variant === 'naive-lock') {
  const baseline = new NaiveLockBaseline();
  await measure(async (s, n) => (await baseline.fullRuns(s, n)).oversold);
} else {
  throw new Error(`usage: throughput-round.ts interleave|check|baseline SCENARIO VARIANT RUNS SEED (got ${process.argv.slice(2).join(' ')})`);
}
