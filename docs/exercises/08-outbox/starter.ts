// Exercise 8: the outbox — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 08-outbox my-shop.ts
import { ask, protocolSetup, type ReplyEvent } from 'interleave';

/** The order the service records: `order-1`. */
interface Order {
  order: string;
}

const acked = ({ event }: { event: ReplyEvent }) => event.value === 'ack';

/** The order service: insert the order, then publish it with a publisher confirm, again until the broker acks. */
export const shop = protocolSetup<Order>().createMachine({
  id: 'my-order-service',
  context: ({ input }) => input,
  initial: 'insert',
  states: {
    insert: { entry: ask<Order>((c) => ['DB.CREATE_ORDER', c.order]), on: { reply: 'publish' } },
    // TODO: a crash right here, after the commit and before the publish, and the order is never confirmed.
    publish: {
      entry: ask<Order>((c) => ['AMQP.PUBLISH', 'confirmations', c.order, `msg-${c.order}`, 1]),
      on: { reply: [{ guard: acked, target: 'done' }, { target: 'publishAgain' }] },
    },
    publishAgain: {
      entry: ask<Order>((c) => ['AMQP.PUBLISH', 'confirmations', c.order, `msg-${c.order}`, 1]),
      on: { reply: [{ guard: acked, target: 'done' }, { target: 'publish' }] },
    },
    done: { type: 'final' },
  },
});
