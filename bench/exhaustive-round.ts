/**
 * One exhaustive search in a process of its own, so that its peak memory is its own:
 * `node --import tsx bench/exhaustive-round.ts SCENARIO VARIANT PARAMS_JSON SYMMETRY [THREADS [ORDER]]` prints
 * `{"states", "transitions", "ms", "tableBytes", "exhausted", "peakRssBytes"}`.
 */
import { check } from '../src/api/check.ts';
import type { SearchOrder } from '../src/check/exhaustive.ts';
import { timed } from './measure.ts';

const [scenario, variant, paramsJson, symmetry, threads = '1', order = 'breadth'] = process.argv.slice(2);
const { value: result, ms } = await timed(() => check(scenario, {
  variant, mode: 'exhaustive', params: JSON.parse(paramsJson), symmetry: symmetry === 'symmetry', threads: Number(threads), order: order as SearchOrder,
  // Far beyond these searches: only the state space ends them.
  maxStates: 100_000_000,
}));
const stats = result.stats.exhaustive!;
if (result.result !== 'none') throw new Error(`${scenario}/${variant} is expected to hold, got ${result.violation?.property}`);
console.log(JSON.stringify({
  states: stats.states, transitions: stats.transitions, ms, tableBytes: stats.tableBytes, exhausted: stats.exhausted,
  // resourceUsage() reports the peak resident set in kilobytes.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
}));
