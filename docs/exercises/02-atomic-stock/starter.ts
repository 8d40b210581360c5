// Exercise 2: sell the last unit once — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 02-atomic-stock my-buyer.ts
import { assign } from 'xstate';
import { ask, protocolSetup } from 'interleave';

/** What a buyer remembers: the stock it read. */
interface Buyer {
  stock: number | null;
}

/** A buyer with no lock: read the stock, and if there is any, write one fewer and record the sale. */
export const buyer = protocolSetup<Buyer>().createMachine({
  id: 'my-buyer',
  context: ({ input }) => input,
  initial: 'read',
  states: {
    // TODO: between this GET and the SET below, another buyer can read the same stock.
    read: {
      entry: ask<Buyer>(() => ['GET', 'stock']),
      on: { reply: { target: 'decide', actions: assign({ stock: ({ event }) => Number(event.value) }) } },
    },
    decide: { always: [{ guard: ({ context }) => context.stock! > 0, target: 'write' }, { target: 'done' }] },
    write: { entry: ask<Buyer>((c) => ['SET', 'stock', c.stock! - 1]), on: { reply: 'record' } },
    record: { entry: ask<Buyer>(() => ['INCR', 'sold']), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});
