// SPOILER: a reference solution of exercise 4 (docs/exercises/04-ack-after). Try the exercise first.
import { assign } from 'xstate';
import { ask, AWAITING, consumerSetup, type ProtocolEvent } from 'interleave';

/** What a worker remembers of the message in hand: its delivery tag and the order it names. */
interface Worker {
  tag: number;
  order: string;
}

/**
 * A payment worker with manual acknowledgements (noAck = 0) that acks only after the charge: a crash before the
 * ack leaves the message unacked, and RabbitMQ redelivers it to the restarted worker. At least once — so a crash
 * between the charge and the ack charges twice (exercise 5).
 */
export const worker = consumerSetup<Worker>().createMachine({
  id: 'ack-after-worker',
  context: ({ input }) => input,
  initial: 'subscribe',
  states: {
    subscribe: { entry: ask<Worker, ProtocolEvent>(() => ['AMQP.CONSUME', 'payments', 1, 0]), on: { reply: 'waiting' } },
    waiting: {
      tags: [AWAITING],
      on: { delivery: { target: 'charge', actions: assign({ tag: ({ event }) => event.delivery.deliveryTag, order: ({ event }) => event.delivery.payload }) } },
    },
    charge: { entry: ask<Worker, ProtocolEvent>((c) => ['PAY.CHARGE', c.order]), on: { reply: 'ack' } },
    ack: { entry: ask<Worker, ProtocolEvent>((c) => ['AMQP.ACK', c.tag]), on: { reply: 'waiting' } },
  },
});
