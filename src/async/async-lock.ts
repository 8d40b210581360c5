/**
 * `checkAsyncLock`: the reference article's inventory deduction (../shared/seed.txt §4.1) with the user's own
 * async buy function as every buyer, checked as it is: B buyers call `fn(client, name)` against a shop of S
 * units, and the shop must not oversell and no buyer may delete another's lock.
 */
import { defineScenario, type Scenario } from '../scenario.ts';
import type { CheckOptions, CheckResult } from '../api/check.ts';
import { noOversell, type StockKeys } from '../../properties/no-oversell.ts';
import { noForeignRelease } from '../../properties/no-foreign-release.ts';
import { AsyncProcess, type AsyncClientFunction } from './async-process.ts';
import { checkAsync } from './check-async.ts';

/** The keys the buy function uses: its lock and the shop's numbers. */
export interface AsyncLockKeys extends StockKeys {
  /** The lock key, e.g. `lock:stock`. */
  readonly lock: string;
}

/** Options of `checkAsyncLock`: `check`'s, plus the keys (`params` takes `buyers` and `stock`). */
export interface AsyncLockOptions extends CheckOptions {
  /** Default `{ lock: 'lock:stock', stock: 'stock', sold: 'sold' }`. */
  readonly keys?: AsyncLockKeys;
}

/** The result of `checkAsyncLock`: `check`'s, and the scenario to pass to `replay` (`{ scenarios: [scenario] }`). */
export interface AsyncLockCheck {
  /** As `check` returns it. */
  readonly result: CheckResult;
  /** The scenario `async-lock`, variant `as-written`, with the function's learned command tree. */
  readonly scenario: Scenario;
}

const DEFAULT_KEYS: AsyncLockKeys = { lock: 'lock:stock', stock: 'stock', sold: 'sold' };

/**
 * Checks the buy function `fn` under the checker's interleavings, pauses and skew. The buyers are `A`, `B`, …,
 * and each is called with its name as its lock value. The function's Redis commands are its only scheduling
 * points, and Redis's TTLs run on the virtual clock.
 * @example
 * const { result, scenario } = await checkAsyncLock(buy, { params: { buyers: 2, stock: 1 } });
 * if (result.violation) replay(result.violation.replay!, { scenarios: [scenario] });
 */
export async function checkAsyncLock(fn: AsyncClientFunction, options: AsyncLockOptions = {}): Promise<AsyncLockCheck> {
  const keys = options.keys ?? DEFAULT_KEYS;
  const buyers = Array.from({ length: 8 }, (_, i) => String.fromCharCode(65 + i)).map((name) => new AsyncProcess(name, fn, name));
  const scenario = defineScenario({
    name: 'async-lock',
    summary: 'buyers running the given async buy function race for the last units in stock',
    source: 'reference article §4.1; the user\'s own function',
    // A crashed buyer only holds the lock until its TTL: a pause that never ends, which pauses already cover.
    faults: { crashes: 0 },
    params: {
      buyers: { default: 2, min: 1, max: buyers.length, description: 'buyers running the function at once' },
      stock: { default: 1, min: 0, max: 100, description: 'units in stock at the start' },
    },
    variants: [{
      name: 'as-written',
      summary: 'the function as it is',
      expected: 'holds',
      build: (params) => ({
        processes: buyers.slice(0, params.buyers).map((b) => b.spec()),
        setup: [['SET', keys.stock, params.stock]],
        properties: [...noOversell(keys, params.stock), ...noForeignRelease(keys.lock)],
      }),
    }],
  });
  return { result: await checkAsync(scenario, buyers, options), scenario };
}
