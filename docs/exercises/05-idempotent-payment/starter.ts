// Exercise 5: charge once — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 05-idempotent-payment my-worker.ts
import { assign } from 'xstate';
import { ask, AWAITING, consumerSetup, type ProtocolEvent } from 'interleave';

/** What a worker remembers of the message in hand: its delivery tag and the order it names. */
interface Worker {
  tag: number;
  order: string;
}

/** A payment worker that acks after the charge (exercise 4's answer): nothing is lost, but is anything doubled? */
export const worker = consumerSetup<Worker>().createMachine({
  id: 'my-payment-worker',
  context: ({ input }) => input,
  initial: 'subscribe',
  states: {
    subscribe: { entry: ask<Worker, ProtocolEvent>(() => ['AMQP.CONSUME', 'payments', 1, 0]), on: { reply: 'waiting' } },
    waiting: {
      tags: [AWAITING],
      on: { delivery: { target: 'charge', actions: assign({ tag: ({ event }) => event.delivery.deliveryTag, order: ({ event }) => event.delivery.payload }) } },
    },
    // TODO: a crash after this charge and before the ack below, and RabbitMQ delivers the message again.
    charge: { entry: ask<Worker, ProtocolEvent>((c) => ['PAY.CHARGE', c.order]), on: { reply: 'ack' } },
    ack: { entry: ask<Worker, ProtocolEvent>((c) => ['AMQP.ACK', c.tag]), on: { reply: 'waiting' } },
  },
});
