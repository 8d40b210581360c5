import { describe, expect, it } from 'vitest';
import { check, replay } from '../src/index.ts';
import { checkResultLines, replayLines } from '../src/report/text.ts';
import { decodeToken } from '../src/check/replay-token.ts';
import { expectOneMinimal } from './one-minimal.ts';
import { inventory } from '../models/index.ts';

const text = (lines: string[]) => lines.join('\n');

describe('the minimal counterexample', () => {
  it('is pinned for inventory / naive-lock, seed 1', () => {
    const result = check('inventory', { variant: 'naive-lock', seed: 1 });
    expect(text(checkResultLines(result))).toMatchInlineSnapshot(`
      "inventory / naive-lock  (buyers=3 stock=1 ttl=5000; seed 1; faults: 2 pauses ≤ 10000 ms, 0 crashes)

        true ms  clock │ B                             C                             redis
        ───────────────┼────────────────────────────────────────────────────────────────────────────────────────────────
              0      0 │ arrives
              0      0 │ SET lock:stock B-ffe0 NX EX 5 → OK
              0      0 │ GET stock → "1"
              0      0 │ ‖ pauses for 5001 ms (until t=5001)
           5001   5001 │                                                             ⌛ lock:stock expires (was "B-ffe0")
           5001   5001 │ ▶ resumes
           5001   5001 │                               arrives
           5001   5001 │                               SET lock:stock C-0541 NX EX 5 → OK
           5001   5001 │                               GET stock → "1"
           5001   5001 │                               SET stock 0 → OK
           5001   5001 │                               INCR sold → 1
           5001   5001 │ SET stock 0 → OK
           5001   5001 │ INCR sold → 2

      ✗ no-oversell violated: 2 sold with an initial stock of 1 (stock=0, sold=2)
        property: at most 1 unit(s) sold and stock never below 0
        replay:   interleave replay il1.eyJzIjoiaW52ZW50b3J5IiwidiI6Im5haXZlLWxvY2siLCJwIjp7ImJ1eWVycyI6Mywic3RvY2siOjEsInR0bCI6NTAwMH0sInNlZWQiOjEsImYiOlsyLDAsMTAwMDAsMCwwLDAsMTAwMDBdLCJjIjpbWzAsMCxbXV0sWzAsMCxbXV0sWzAsMCxbXV0sWzAsMCxbXV1dLCJwcm9wIjoibm8tb3ZlcnNlbGwiLCJhIjoiYTEgczEgcDE6NTAwMSB3IGEyIHMyIHMyIHMyIHMxIHMxIn0
        (found in schedule 16; shrunk from 14 scheduler decisions to 10)"
    `);
  });

  it('is 1-minimal: removing any single action no longer breaks the property', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = check('inventory', { variant: 'naive-lock', seed });
      expectOneMinimal(inventory, result, `seed ${seed}`);
    }
  });
});

describe('replay', () => {
  it('reproduces every counterexample byte for byte', () => {
    for (const variant of ['no-lock', 'naive-lock', 'owner-checked', 'owner-checked-renew']) {
      const result = check('inventory', { variant });
      const printed = checkResultLines(result);
      // The check prints the replayable block, then one line about the search.
      expect(text(replayLines(replay(result.violation!.replay!)))).toBe(text(printed.slice(0, -1)));
    }
  });

  it('100 seeds, checked twice, give identical bytes', () => {
    const outputs = (): string[] =>
      Array.from({ length: 100 }, (_, i) => text(checkResultLines(check('inventory', { variant: 'naive-lock', seed: i + 1, runs: 2000 }))));
    expect(outputs()).toEqual(outputs());
  });
});
