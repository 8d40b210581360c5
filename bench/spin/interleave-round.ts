/**
 * interleave's half of the SPIN comparison, one exhaustive search in a process of its own so that its peak
 * memory is its own: `node --import tsx bench/spin/interleave-round.ts SETTING_JSON` (a {@link TickSetting} plus
 * `buyers`, `maxTimeMs` and the search `order`) prints `{"states", "transitions", "ms", "tableBytes", "exhausted", "bound",
 * "result", "property", "peakRssBytes"}`.
 */
import { check, findScenario } from '../../src/api/check.ts';
import type { Scenario } from '../../src/scenario.ts';
import type { SearchOrder } from '../../src/check/exhaustive.ts';
import { timed } from '../measure.ts';
import type { TickSetting } from './setting.ts';

const setting = JSON.parse(process.argv[2]) as TickSetting & { buyers: number; maxTimeMs: number; order: SearchOrder };
const inventory = findScenario('inventory');
// The scenario's `ttl` starts at 1000 ms, a sensible floor for a real lock; the benchmark's TTL of 3 ticks of
// 1 ms lies below it, so only that range is widened here: machines, variants and properties are the scenario's.
const scenario: Scenario = { ...inventory, params: { ...inventory.params, ttl: { ...inventory.params.ttl, min: 1 } } };
const { value: result, ms } = await timed(() => check(scenario, {
  variant: 'fenced', mode: 'exhaustive', order: setting.order, tickMs: setting.tickMs, horizonMs: setting.horizonMs, pauses: 0, crashes: 0,
  params: { buyers: setting.buyers, stock: setting.stock, ttl: setting.ttlMs },
  // Only the time budget may stop it: the depth and state bounds are far beyond this model's.
  maxDepth: 10_000, maxStates: 2 ** 31, maxTimeMs: setting.maxTimeMs,
}));
const stats = result.stats.exhaustive!;
console.log(JSON.stringify({
  states: stats.states, transitions: stats.transitions, ms, tableBytes: stats.tableBytes, exhausted: stats.exhausted, bound: stats.bound,
  result: result.result, property: result.violation?.property ?? null,
  // resourceUsage() reports the peak resident set in kilobytes.
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
}));
