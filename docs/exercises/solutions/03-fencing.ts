// SPOILER: a reference solution of exercise 3 (docs/exercises/03-fencing). Try the exercise first.
import { assign } from 'xstate';
import { ask, fencedLock, lockedMachine, type LockClientContext, type LockProtocol, type ReplyEvent, type StateConfigs } from 'interleave';

/** A buyer: a lock client (its `token`, and its `fence` from the fencing lock) and the stock it read. */
interface Buyer extends LockClientContext {
  stock: number | null;
}

const readStock = assign({ stock: ({ event }: { event: ReplyEvent }) => Number(event.value) });
const inStock = ({ context }: { context: Buyer }) => context.stock! > 0;
const isStale = ({ event }: { event: ReplyEvent }) => event.value === 'STALE';

/**
 * The section with the fencing token on every read and write: the store (`fenced-get`, `fenced-set`) remembers
 * the highest token it has seen in `stock:fence` and answers STALE to a lower one, so a buyer that paused past
 * its lock's expiry, and was overtaken by a buyer with a newer token, can no longer sell.
 */
function section(lock: LockProtocol): StateConfigs {
  return {
    work: {
      entry: ask<Buyer>((c) => ['EVAL', 'fenced-get', 2, 'stock', 'stock:fence', c.fence!]),
      on: { reply: [{ guard: isStale, target: 'release' }, { target: 'decide', actions: readStock }] },
    },
    decide: { always: [{ guard: inStock, target: 'checkpoint' }, { target: 'release' }] },
    ...lock.checkpoint('write', 'release'),
    write: {
      entry: ask<Buyer>((c) => ['EVAL', 'fenced-set', 2, 'stock', 'stock:fence', c.fence!, c.stock! - 1]),
      on: { reply: [{ guard: isStale, target: 'release' }, { target: 'record' }] },
    },
    record: { entry: ask<Buyer>(() => ['INCR', 'sold']), on: { reply: 'release' } },
  };
}

/** The fencing lock (owner-checked, plus `INCR lock:stock:fence` once acquired, into `fence`) around the section. */
export const buyer = lockedMachine<Buyer>('fenced-buyer', fencedLock(), section);
