/**
 * A queue consumer as a protocol machine: subscribe, await a delivery, do the work, settle, await the next.
 * The three acknowledgement disciplines of the RabbitMQ docs ("Consumer Acknowledgements and Publisher
 * Confirms", https://www.rabbitmq.com/docs/confirms) and of the reference article's message-processing half:
 * - `auto-ack`: the broker forgets the message the moment it sends it — a crash before the work loses it;
 * - `ack-before`: ack on receipt, then work — the same loss, by hand;
 * - `ack-after`: work, then ack — at-least-once: a crash between the two redelivers it, so the work must be
 *   idempotent or it happens twice.
 */
import { assign, type AnyStateMachine } from 'xstate';
import { ask, AWAITING, consumerSetup, type DeliveryEvent, type ProtocolEvent } from './protocol.ts';
import type { StateConfigs } from './lock-client.ts';

/** What a consumer remembers of the message in hand. */
export interface ConsumerContext {
  /** Delivery tag of the message in hand (per channel). */
  tag: number;
  /** Its body: the order it names. */
  order: string;
}

/** When a consumer acknowledges a message. */
export type AckMode = 'auto-ack' | 'ack-before' | 'ack-after';

/** The work a consumer does per message: states entered at `work`, ending by going to `next`. */
export type ConsumerWork = (next: string) => StateConfigs;

/**
 * A consumer of `queue` (prefetch 1) that acknowledges by `ack` and does `work` for each message.
 * @example consumerMachine('payment-worker', 'payments', 'ack-after', (next) => ({ work: { entry: ask((c) => ['PAY.CHARGE', c.order]), on: { reply: next } } }))
 */
export function consumerMachine(id: string, queue: string, ack: AckMode, work: ConsumerWork): AnyStateMachine {
  const received = assign<ConsumerContext, DeliveryEvent, undefined, ProtocolEvent, never>({
    tag: ({ event }) => event.delivery.deliveryTag,
    order: ({ event }) => event.delivery.payload,
  });
  // The states are spliced from fragments at run time, so their schema cannot be typed statically.
  const states = {
    subscribe: { entry: ask<ConsumerContext, ProtocolEvent>(() => ['AMQP.CONSUME', queue, 1, ack === 'auto-ack' ? 1 : 0]), on: { reply: 'waiting' } },
    // A closed channel (the broker closed it, or an ack on it failed) ends the subscription: subscribe again.
    waiting: { tags: [AWAITING], on: { delivery: { target: ack === 'ack-before' ? 'ack' : 'work', actions: received }, 'channel-closed': 'subscribe' } },
    ...work(ack === 'ack-after' ? 'ack' : 'waiting'),
    ...(ack === 'auto-ack' ? {} : {
      ack: {
        entry: ask<ConsumerContext, ProtocolEvent>((c) => ['AMQP.ACK', c.tag]),
        on: { reply: [{ guard: ({ event }: { event: ProtocolEvent }) => event.type === 'reply' && event.value !== 'OK', target: 'subscribe' }, { target: ack === 'ack-before' ? 'work' : 'waiting' }] },
      },
    }),
  } as Record<string, object>;
  return consumerSetup<ConsumerContext>().createMachine({ id, context: ({ input }) => input, initial: 'subscribe', states });
}

/**
 * A consumer's input: nothing in hand yet.
 * @example { name: 'W1', machine: paymentWorker('payments', 'ack-after', { keyed: true }), input: IDLE_CONSUMER, restart: true }
 */
export const IDLE_CONSUMER: ConsumerContext = { tag: 0, order: '' };
