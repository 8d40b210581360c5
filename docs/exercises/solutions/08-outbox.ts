// SPOILER: a reference solution of exercise 8 (docs/exercises/08-outbox). Try the exercise first.
import { ask, protocolSetup } from 'interleave';

/** The order the service records: `order-1`. */
interface Order {
  order: string;
}

/**
 * The transactional outbox: the order and its outbox row (the message for `confirmations`) are written in one
 * database transaction, and the service publishes nothing itself. The relay publishes the row, with confirms,
 * until it is marked sent — so a crash at any point either loses both or neither, and a duplicate publish is
 * absorbed by the confirmation worker's e-mail idempotency key.
 */
export const shop = protocolSetup<Order>().createMachine({
  id: 'outbox-order-service',
  context: ({ input }) => input,
  initial: 'insert',
  states: {
    insert: { entry: ask<Order>((c) => ['DB.CREATE_ORDER', c.order, 'confirmations']), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});
