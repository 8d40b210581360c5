/**
 * `--clock NODE=ITEM,ITEM…` fixes one node's clock. Items: `offset:MS`, `drift:PPM`, `jump:AT:BY` (at true time
 * AT the clock steps BY ms; repeatable). NODE is a process name (A, B, …) or `redis`.
 * Example: `--clock redis=jump:2000:3000` — Redis's clock jumps 3 s ahead at t=2000.
 */
import type { ClockJump, ClockSpec } from '../sim/clock.ts';
import { UsageError } from '../check/prepare.ts';

const INT = /^[+-]?\d+$/;

/** Parses every `--clock` value into clocks by node name. */
export function parseClockOptions(values: readonly string[]): Record<string, ClockSpec> {
  const clocks: Record<string, ClockSpec> = {};
  for (const value of values) {
    const [node, items] = value.split('=', 2);
    if (!node || items === undefined) throw new UsageError(`--clock needs NODE=ITEMS, e.g. redis=drift:20000, got '${value}'`);
    let offset = 0;
    let driftPpm = 0;
    const jumps: ClockJump[] = [];
    for (const item of items.split(',')) {
      const [kind, ...numbers] = item.split(':');
      if (!numbers.every((n) => INT.test(n))) throw new UsageError(`--clock ${node}: '${item}' needs integer values`);
      const [a, b] = numbers.map(Number);
      if (kind === 'offset' && numbers.length === 1) offset = a;
      else if (kind === 'drift' && numbers.length === 1 && a > -1_000_000) driftPpm = a;
      else if (kind === 'jump' && numbers.length === 2 && a >= 0) jumps.push({ at: a, by: b });
      else throw new UsageError(`--clock ${node}: '${item}' is not offset:MS, drift:PPM (> -1000000) or jump:AT:BY`);
    }
    clocks[node] = { offset, driftPpm, jumps: jumps.sort((x, y) => x.at - y.at) };
  }
  return clocks;
}
