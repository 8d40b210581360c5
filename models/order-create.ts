/**
 * Scenario `order-create` — the reference article's 订单创建 (order creation, ../shared/seed.txt §5): a shopper
 * double-clicks "place order" (or the client retries), so the same checkout arrives N times. Each submission
 * takes the per-cart lock, looks for an existing order of the cart, creates one if there is none, and releases.
 * A lock that fails under a pause lets both create an order; an idempotency key claimed with `SET NX` needs no
 * lock and holds.
 */
import type { AnyStateMachine } from 'xstate';
import { ask, protocolSetup, type ReplyEvent } from './protocol.ts';
import { lockClients, type LockClientContext, type StateConfigs } from './lock-client.ts';
import { lockedMachine, noLock } from './locked-machine.ts';
import { naiveLock } from './naive-lock.ts';
import { ownerCheckedLock } from './owner-checked-lock.ts';
import { defineScenario, type Variant } from '../src/scenario.ts';
import { oneOrderPerCart } from '../properties/one-order-per-cart.ts';
import { noForeignRelease } from '../properties/no-foreign-release.ts';
import { mutualExclusion } from '../properties/mutual-exclusion.ts';
import type { Property } from '../properties/property.ts';

const KEYS = { lock: 'lock:cart-42', orders: 'orders:cart-42', claim: 'idem:cart-42:checkout-1' } as const;

/** Look for the cart's order; create one only if there is none. */
const checkThenCreate = (): StateConfigs => ({
  work: {
    entry: ask<LockClientContext>(() => ['GET', KEYS.orders]),
    on: { reply: [{ guard: ({ event }: { event: ReplyEvent }) => event.value === null, target: 'create' }, { target: 'release' }] },
  },
  create: { entry: ask<LockClientContext>(() => ['INCR', KEYS.orders]), on: { reply: 'release' } },
});

/** Claim the checkout's idempotency key with SET NX; only the winner creates the order. */
const idempotentSubmission = protocolSetup<LockClientContext>().createMachine({
  id: 'idempotent-submission',
  context: ({ input }) => input,
  initial: 'claim',
  states: {
    claim: {
      entry: ask<LockClientContext>((c) => ['SET', KEYS.claim, c.token, 'NX']),
      on: { reply: [{ guard: ({ event }) => event.value === 'OK', target: 'create' }, { target: 'done' }] },
    },
    create: { entry: ask<LockClientContext>(() => ['INCR', KEYS.orders]), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

function variant(name: string, summary: string, expected: Variant['expected'], machine: AnyStateMachine, properties: Property[]): Variant {
  return { name, summary, expected, build: (params, prng) => ({ processes: lockClients(machine, params.submissions, { lockKey: KEYS.lock, ttlMs: params.ttl }, prng, {}), setup: [], properties }) };
}

const lockProperties = [...oneOrderPerCart(KEYS.orders), ...noForeignRelease(KEYS.lock), ...mutualExclusion()];

/**
 * The order-creation scenario.
 * @example check(orderCreate, { variant: 'no-lock' }).violation?.property // 'one-order-per-cart'
 */
export const orderCreate = defineScenario({
  name: 'order-create',
  summary: 'a checkout submitted twice must become one order (订单创建)',
  source: 'reference article §5; Stripe-style idempotency keys',
  // A crashed buyer only holds the lock until its TTL: a pause that never ends, which pauses already cover.
  faults: { crashes: 0 },
  params: {
    submissions: { default: 2, min: 2, max: 4, description: 'times the same checkout is submitted' },
    ttl: { default: 5000, min: 1000, max: 60_000, description: 'lock time-to-live in ms' },
  },
  variants: [
    variant('no-lock', 'check for an order, then create it, with no lock', 'violates', lockedMachine('order-no-lock', noLock, checkThenCreate), oneOrderPerCart(KEYS.orders)),
    variant('naive-lock', "the article's lock around check-then-create", 'violates', lockedMachine('order-naive-lock', naiveLock, checkThenCreate), lockProperties),
    variant('owner-checked', 'owner-checked lock around check-then-create', 'violates', lockedMachine('order-owner-checked', ownerCheckedLock(), checkThenCreate), lockProperties),
    variant('idempotency-key', 'claim an idempotency key with SET NX, no lock', 'holds', idempotentSubmission, oneOrderPerCart(KEYS.orders)),
  ],
});
