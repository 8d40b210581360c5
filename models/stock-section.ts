/**
 * A buyer's critical section against the stock (the reference article's 库存扣减): read the units left, and
 * if there are any write one fewer and record the sale. `plainSection` uses GET/SET on a plain key;
 * `fencedSection` sends the lock's fencing token with every read and write, and the store refuses a stale one
 * (Kleppmann). Shared by the `inventory` and `checkout` scenarios.
 */
import { assign } from 'xstate';
import { ask, type ReplyEvent } from './protocol.ts';
import type { LockClientContext, LockProtocol, StateConfigs } from './lock-client.ts';
import type { ParamSpec } from '../src/scenario.ts';

/** A buyer's context: a lock client plus the stock it read. */
export interface BuyerContext extends LockClientContext {
  /** Units left, as this buyer last read them. */
  stock: number | null;
}

/** Where the stock lives: the units left, the units sold, and the fencing store's highest accepted token. */
export const STOCK_KEYS = { stock: 'stock', sold: 'sold', fence: 'stock:fence' } as const;

/**
 * The parameters of a scenario whose buyers race for stock under a lock: `buyers` (default and largest as
 * given), `stock`, and the lock's `ttl`.
 * @example buyerParams(3, 8) // buyers 1..8, default 3; stock 0..5, default 1; ttl 1000..60000 ms, default 5000
 */
export function buyerParams(defaultBuyers: number, maxBuyers: number): Record<'buyers' | 'stock' | 'ttl', ParamSpec> {
  return {
    buyers: { default: defaultBuyers, min: 1, max: maxBuyers, description: 'number of buyers' },
    stock: { default: 1, min: 0, max: 5, description: 'units in stock at the start' },
    ttl: { default: 5000, min: 1000, max: 60_000, description: 'lock time-to-live in ms' },
  };
}

const readStock = assign({ stock: ({ event }: { event: ReplyEvent }) => Number(event.value) });
const inStock = ({ context }: { context: BuyerContext }) => context.stock! > 0;
const isStale = ({ event }: { event: ReplyEvent }) => event.value === 'STALE';

/**
 * The section against a plain store: GET, SET stock − 1, INCR sold, then `afterSale` (default: release).
 * @example lockedMachine('buyer', naiveLock, (lock) => plainSection(lock))
 */
export function plainSection(lock: LockProtocol, afterSale = 'release'): StateConfigs {
  return {
    work: {
      entry: ask<BuyerContext>(() => ['GET', STOCK_KEYS.stock]),
      on: { reply: { target: 'decide', actions: readStock } },
    },
    decide: { always: [{ guard: inStock, target: 'checkpoint' }, { target: 'release' }] },
    ...lock.checkpoint('write', 'release'),
    write: { entry: ask<BuyerContext>((c) => ['SET', STOCK_KEYS.stock, c.stock! - 1]), on: { reply: 'record' } },
    record: { entry: ask<BuyerContext>(() => ['INCR', STOCK_KEYS.sold]), on: { reply: afterSale } },
  };
}

/**
 * The section against a fencing store: every read and write carries the fencing token; a refused one ends
 * the section without a sale. Then `afterSale` (default: release).
 * @example lockedMachine('buyer', fencedLock(), (lock) => fencedSection(lock))
 */
export function fencedSection(lock: LockProtocol, afterSale = 'release'): StateConfigs {
  return {
    work: {
      entry: ask<BuyerContext>((c) => ['EVAL', 'fenced-get', 2, STOCK_KEYS.stock, STOCK_KEYS.fence, c.fence!]),
      on: { reply: [{ guard: isStale, target: 'release' }, { target: 'decide', actions: readStock }] },
    },
    decide: { always: [{ guard: inStock, target: 'checkpoint' }, { target: 'release' }] },
    ...lock.checkpoint('write', 'release'),
    write: {
      entry: ask<BuyerContext>((c) => ['EVAL', 'fenced-set', 2, STOCK_KEYS.stock, STOCK_KEYS.fence, c.fence!, c.stock! - 1]),
      on: { reply: [{ guard: isStale, target: 'release' }, { target: 'record' }] },
    },
    record: { entry: ask<BuyerContext>(() => ['INCR', STOCK_KEYS.sold]), on: { reply: afterSale } },
  };
}
