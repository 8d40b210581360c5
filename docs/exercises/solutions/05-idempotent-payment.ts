// SPOILER: a reference solution of exercise 5 (docs/exercises/05-idempotent-payment). Try the exercise first.
import { assign } from 'xstate';
import { ask, AWAITING, consumerSetup, type ProtocolEvent } from 'interleave';

/** What a worker remembers of the message in hand: its delivery tag and the order it names. */
interface Worker {
  tag: number;
  order: string;
}

/**
 * Ack after the charge, and charge with the order id as the gateway's idempotency key: a redelivered message
 * makes the same request with the same key, and the gateway returns the first charge instead of making another.
 * The dedupe record is written by the gateway in the same step as the charge — nothing can fall between them.
 */
export const worker = consumerSetup<Worker>().createMachine({
  id: 'idempotent-worker',
  context: ({ input }) => input,
  initial: 'subscribe',
  states: {
    subscribe: { entry: ask<Worker, ProtocolEvent>(() => ['AMQP.CONSUME', 'payments', 1, 0]), on: { reply: 'waiting' } },
    waiting: {
      tags: [AWAITING],
      on: { delivery: { target: 'charge', actions: assign({ tag: ({ event }) => event.delivery.deliveryTag, order: ({ event }) => event.delivery.payload }) } },
    },
    charge: { entry: ask<Worker, ProtocolEvent>((c) => ['PAY.CHARGE', c.order, c.order]), on: { reply: 'ack' } },
    ack: { entry: ask<Worker, ProtocolEvent>((c) => ['AMQP.ACK', c.tag]), on: { reply: 'waiting' } },
  },
});
