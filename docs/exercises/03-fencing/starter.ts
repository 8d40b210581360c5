// Exercise 3: add fencing — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 03-fencing my-fenced-buyer.ts
import { assign } from 'xstate';
import { ask, lockedMachine, ownerCheckedLock, type LockClientContext, type LockProtocol, type ReplyEvent, type StateConfigs } from 'interleave';

/** A buyer: a lock client (its `token`, and its `fence`, null until a fencing lock sets it) and the stock it read. */
interface Buyer extends LockClientContext {
  stock: number | null;
}

const readStock = assign({ stock: ({ event }: { event: ReplyEvent }) => Number(event.value) });
const inStock = ({ context }: { context: Buyer }) => context.stock! > 0;

/** The critical section: entered at `work` once the lock is held, it ends by going to `release`. */
function section(lock: LockProtocol): StateConfigs {
  return {
    // TODO: a buyer that paused past its lock's expiry still reads and writes here, over the next owner's sale.
    work: { entry: ask<Buyer>(() => ['GET', 'stock']), on: { reply: { target: 'decide', actions: readStock } } },
    decide: { always: [{ guard: inStock, target: 'checkpoint' }, { target: 'release' }] },
    ...lock.checkpoint('write', 'release'),
    write: { entry: ask<Buyer>((c) => ['SET', 'stock', c.stock! - 1]), on: { reply: 'record' } },
    record: { entry: ask<Buyer>(() => ['INCR', 'sold']), on: { reply: 'release' } },
  };
}

/** The owner-checked lock of the Redis docs (random token, SET NX PX, compare-and-delete) around the section. */
export const buyer = lockedMachine<Buyer>('my-fenced-buyer', ownerCheckedLock(), section);
