// SPOILER: a reference solution of exercise 2 (docs/exercises/02-atomic-stock). Try the exercise first.
import { ask, protocolSetup } from 'interleave';

/** What a buyer remembers: nothing it reads can go stale any more, so it keeps the starter's context unused. */
interface Buyer {
  stock: number | null;
}

/**
 * A buyer that takes a unit in one atomic step: the `decr-if-positive` script reads and decrements inside Redis,
 * where no other command can run in between, and replies -1 when there was nothing left.
 */
export const buyer = protocolSetup<Buyer>().createMachine({
  id: 'atomic-buyer',
  context: ({ input }) => input,
  initial: 'take',
  states: {
    take: {
      entry: ask<Buyer>(() => ['EVAL', 'decr-if-positive', 1, 'stock']),
      on: { reply: [{ guard: ({ event }) => (event.value as number) >= 0, target: 'record' }, { target: 'done' }] },
    },
    record: { entry: ask<Buyer>(() => ['INCR', 'sold']), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});
