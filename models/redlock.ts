/**
 * Scenario `redlock` — the reference article's inventory deduction (库存扣减) under Redlock: B buyers race for
 * the last unit; each takes the lock on a majority of five Redis instances (`redis-1` … `redis-5`, each with its
 * own clock), reads the stock on the store (`redis`), writes stock − 1 and records the sale, then releases on
 * every instance. Kleppmann's two counterexamples apply: a pause past the validity, and a clock jump on one
 * instance that expires its key early so that a second buyer wins a majority too. Fencing tokens checked by the
 * store make the stale writer harmless. Sources: redis.io "Distributed Locks with Redis"; Kleppmann 2016.
 */
import type { AnyStateMachine } from 'xstate';
import { defineScenario, type Params, type Variant } from '../src/scenario.ts';
import { lockClients } from './lock-client.ts';
import { lockedMachine } from './locked-machine.ts';
import { redlock } from './redlock-lock.ts';
import { buyerParams, fencedSection, plainSection, STOCK_KEYS, type BuyerContext } from './stock-section.ts';
import { noOversell } from '../properties/no-oversell.ts';
import { mutualExclusion } from '../properties/mutual-exclusion.ts';
import { fencingMonotonic } from '../properties/fencing-monotonic.ts';
import type { Property } from '../properties/property.ts';

const LOCK_KEY = 'lock:stock';
const INSTANCES = 5;

function variant(name: string, summary: string, expected: Variant['expected'], machine: AnyStateMachine, properties: (p: Params) => Property[]): Variant {
  return {
    name, summary, expected,
    build: (params, prng) => ({
      processes: lockClients<BuyerContext>(machine, params.buyers, { lockKey: LOCK_KEY, ttlMs: params.ttl }, prng, { stock: null }),
      setup: [['SET', STOCK_KEYS.stock, params.stock]],
      redisServers: 1 + INSTANCES,
      properties: properties(params),
    }),
  };
}

/** The Redlock scenario. */
export const redlockScenario = defineScenario({
  name: 'redlock',
  summary: 'buyers race for the last unit under Redlock over five Redis instances',
  source: 'redis.io "Distributed Locks with Redis" (Redlock); Kleppmann 2016',
  faults: { crashes: 0 },
  // A buyer needs seven undisturbed steps to win five instances: PCT finds the overlap in hundreds of schedules,
  // uniform random search in about ten thousand.
  mode: 'pct',
  params: buyerParams(2, 4),
  variants: [
    variant('redlock', 'majority of five instances, validity checked, no fencing', 'violates',
      lockedMachine<BuyerContext>('redlock-buyer', redlock({ instances: INSTANCES }), plainSection),
      (p) => [...noOversell(STOCK_KEYS, p.stock), ...mutualExclusion()]),
    // As with the fenced single-instance lock, two buyers may still believe they hold it: the store refuses the stale one.
    variant('redlock-fenced', 'Redlock plus an INCR fencing token the stock store checks', 'holds',
      lockedMachine<BuyerContext>('redlock-fenced-buyer', redlock({ instances: INSTANCES, fenced: true }), fencedSection),
      (p) => [...noOversell(STOCK_KEYS, p.stock), ...fencingMonotonic(STOCK_KEYS.fence)]),
  ],
});
