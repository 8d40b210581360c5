// Exercise 4: don't lose the payment — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 04-ack-after my-worker.ts
import { assign } from 'xstate';
import { ask, AWAITING, consumerSetup, type ProtocolEvent } from 'interleave';

/** What a worker remembers of the message in hand: its delivery tag and the order it names. */
interface Worker {
  tag: number;
  order: string;
}

/** A payment worker: for each message on `payments`, charge the order it names. */
export const worker = consumerSetup<Worker>().createMachine({
  id: 'my-payment-worker',
  context: ({ input }) => input,
  initial: 'subscribe',
  states: {
    // AMQP.CONSUME queue prefetch noAck. TODO: with noAck = 1 the broker forgets a message the moment it sends it.
    subscribe: { entry: ask<Worker, ProtocolEvent>(() => ['AMQP.CONSUME', 'payments', 1, 1]), on: { reply: 'waiting' } },
    waiting: {
      tags: [AWAITING],
      on: { delivery: { target: 'charge', actions: assign({ tag: ({ event }) => event.delivery.deliveryTag, order: ({ event }) => event.delivery.payload }) } },
    },
    charge: { entry: ask<Worker, ProtocolEvent>((c) => ['PAY.CHARGE', c.order]), on: { reply: 'waiting' } },
  },
});
