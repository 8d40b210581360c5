/**
 * Scenario `inventory` — the reference article's 库存扣减 (inventory deduction, ../shared/seed.txt §5): B buyers
 * race for S units. Each buyer takes the lock, reads the stock, writes stock − 1 if it is positive, records the
 * sale and releases. The lock variants are the article's own lock, the Redis documentation's owner-checked lock
 * (with and without renewal), and Kleppmann's fencing tokens; `atomic-decr` needs no lock at all.
 */
import type { AnyStateMachine } from 'xstate';
import { ask, protocolSetup } from './protocol.ts';
import { lockClients } from './lock-client.ts';
import { buyerParams, fencedSection, plainSection, STOCK_KEYS, type BuyerContext } from './stock-section.ts';
import { lockedMachine, noLock } from './locked-machine.ts';
import { naiveLock } from './naive-lock.ts';
import { ownerCheckedLock } from './owner-checked-lock.ts';
import { fencedLock } from './fenced-lock.ts';
import { defineScenario, type Params, type Variant } from '../src/scenario.ts';
import { noOversell } from '../properties/no-oversell.ts';
import { noForeignRelease } from '../properties/no-foreign-release.ts';
import { mutualExclusion } from '../properties/mutual-exclusion.ts';
import { fencingMonotonic } from '../properties/fencing-monotonic.ts';
import type { Property } from '../properties/property.ts';

const KEYS = { lock: 'lock:stock', ...STOCK_KEYS } as const;

/** No lock, one atomic script: decrement if positive, then record the sale. */
const atomicBuyer = protocolSetup<BuyerContext>().createMachine({
  id: 'atomic-decr-buyer',
  context: ({ input }) => input,
  initial: 'decrement',
  states: {
    decrement: {
      entry: ask<BuyerContext>(() => ['EVAL', 'decr-if-positive', 1, KEYS.stock]),
      on: { reply: [{ guard: ({ event }) => (event.value as number) >= 0, target: 'record' }, { target: 'done' }] },
    },
    record: { entry: ask<BuyerContext>(() => ['INCR', KEYS.sold]), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

const machines = {
  noLock: lockedMachine<BuyerContext>('no-lock-buyer', noLock, plainSection),
  naive: lockedMachine<BuyerContext>('naive-lock-buyer', naiveLock, plainSection),
  ownerChecked: lockedMachine<BuyerContext>('owner-checked-buyer', ownerCheckedLock(), plainSection),
  renewing: lockedMachine<BuyerContext>('owner-checked-renew-buyer', ownerCheckedLock({ renew: true }), plainSection),
  fenced: lockedMachine<BuyerContext>('fenced-buyer', fencedLock(), fencedSection),
};

function variant(name: string, summary: string, expected: Variant['expected'], machine: AnyStateMachine, properties: (p: Params) => Property[]): Variant {
  return {
    name, summary, expected,
    build: (params, prng) => ({
      processes: lockClients<BuyerContext>(machine, params.buyers, { lockKey: KEYS.lock, ttlMs: params.ttl }, prng, { stock: null }),
      setup: [['SET', KEYS.stock, params.stock]],
      properties: properties(params),
    }),
  };
}

const lockProperties = (p: Params) => [...noOversell(KEYS, p.stock), ...noForeignRelease(KEYS.lock), ...mutualExclusion()];

/**
 * The inventory scenario.
 * @example check(inventory, { variant: 'naive-lock' }).violation?.property // 'no-oversell'
 */
export const inventory = defineScenario({
  name: 'inventory',
  summary: 'buyers race for the last units in stock (库存扣减)',
  source: 'reference article §4.1/§5; Redis docs "Distributed Locks with Redis"; Kleppmann 2016',
  // A crashed buyer only holds the lock until its TTL: a pause that never ends, which pauses already cover.
  faults: { crashes: 0 },
  params: buyerParams(3, 8),
  variants: [
    variant('no-lock', 'read, then write stock − 1, with no lock at all', 'violates', machines.noLock, (p) => noOversell(KEYS, p.stock)),
    variant('naive-lock', "the article's lock: SET NX EX, no retry, release by plain DEL", 'violates', machines.naive, lockProperties),
    variant('owner-checked', 'random token, compare-and-delete release, retry with backoff', 'violates', machines.ownerChecked, lockProperties),
    variant('owner-checked-renew', 'owner-checked, renewing (compare-and-extend) before each write', 'violates', machines.renewing, lockProperties),
    // Fencing does not stop two clients believing they hold the lock (a paused one still does): it makes the
    // store refuse the stale one. So its properties are about the store, not mutual exclusion.
    variant('fenced', 'owner-checked plus an INCR fencing token the stock store checks', 'holds', machines.fenced,
      (p) => [...noOversell(KEYS, p.stock), ...noForeignRelease(KEYS.lock), ...fencingMonotonic(KEYS.fence)]),
    variant('atomic-decr', 'no lock: one decrement-if-positive script', 'holds', atomicBuyer, (p) => noOversell(KEYS, p.stock)),
  ],
});
