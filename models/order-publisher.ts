/**
 * How the shop's order service records an order and tells the rest of the system about it (a message to
 * `queue` naming the order). The ways of the reference article and of the RabbitMQ docs, from worst to best:
 * - `publish-first`: publish (with confirms), then insert the order — a crash between the two, or a consumer
 *   faster than the insert, charges an order that does not exist;
 * - `fire-and-forget`: insert, then publish without confirms — a crash between the two, or a lost message,
 *   and the order is never processed, with nobody the wiser;
 * - `confirms-retry`: insert, then publish with confirms, republishing until acked — no silent loss on the
 *   wire, but a crash between insert and publish still loses the order, and a lost confirm publishes twice;
 * - `outbox`: insert the order and an outbox row in one transaction; a relay publishes the row (outbox-relay.ts).
 */
import type { AnyStateMachine, MachineContext } from 'xstate';
import { ask, protocolSetup, type Command } from './protocol.ts';
import { publishUntilAcked } from './publish-until-acked.ts';
import type { StateConfigs } from './lock-client.ts';

/** How an order service publishes. */
export type PublishStyle = 'publish-first' | 'fire-and-forget' | 'confirms-retry' | 'outbox';

/** The context the fragment needs: the order it records. */
export interface OrderContext extends MachineContext {
  /** The order id, e.g. `order-1`. */
  readonly order: string;
}

const insert = (outboxQueue: string | null) => ask<OrderContext>((c) => (outboxQueue === null ? ['DB.CREATE_ORDER', c.order] : ['DB.CREATE_ORDER', c.order, outboxQueue]));
const message = (queue: string, confirm: 0 | 1) => (c: OrderContext): Command => ['AMQP.PUBLISH', queue, c.order, `msg-${c.order}`, confirm];

/**
 * States, entered at `order` and ending by going to `next`, that record the context's order and publish it to
 * `queue` in the given style.
 * @example publishOrder('outbox', 'payments', 'done') // { order: { entry: …DB.CREATE_ORDER order payments…, on: { reply: 'done' } } }
 */
export function publishOrder(style: PublishStyle, queue: string, next: string): StateConfigs {
  switch (style) {
    case 'outbox': return { order: { entry: insert(queue), on: { reply: next } } };
    case 'fire-and-forget': return {
      order: { entry: insert(null), on: { reply: 'publish' } },
      publish: { entry: ask<OrderContext>(message(queue, 0)), on: { reply: next } },
    };
    case 'confirms-retry': return {
      order: { entry: insert(null), on: { reply: 'publish' } },
      ...publishUntilAcked<OrderContext>('publish', message(queue, 1), next),
    };
    case 'publish-first': return {
      ...publishUntilAcked<OrderContext>('order', message(queue, 1), 'insert'),
      insert: { entry: insert(null), on: { reply: next } },
    };
  }
}

/**
 * The order service handling one checkout: record the order, publish it to `queue`, finish.
 * @example orderPublisher('outbox', 'confirmations')
 */
export function orderPublisher(style: PublishStyle, queue: string): AnyStateMachine {
  return protocolSetup<OrderContext>().createMachine({
    id: `order-service-${style}`,
    context: ({ input }) => input,
    initial: 'order',
    states: { ...publishOrder(style, queue, 'done'), done: { type: 'final' } } as Record<string, object>,
  });
}
