/**
 * Scenario `order-confirm` — the reference article's 订单确认 (order confirmation, ../shared/seed.txt §5): the
 * order service records an order and publishes it on the `confirmations` queue; W confirmation workers mark the
 * order confirmed and e-mail the shopper. The order service may crash between its commit and its publish, the
 * connection may lose a publish (or its confirm), workers crash (and are restarted) and pause.
 * Sources: RabbitMQ docs "Consumer Acknowledgements and Publisher Confirms"; Richardson, "Pattern:
 * Transactional outbox".
 */
import type { AnyStateMachine } from 'xstate';
import { defineScenario, type Params, type ProcessSpec, type Variant } from '../src/scenario.ts';
import { IDLE_CONSUMER, type AckMode } from './consumer.ts';
import { confirmationWorker } from './confirmation-worker.ts';
import { orderPublisher, type PublishStyle } from './order-publisher.ts';
import { IDLE_RELAY, outboxRelay } from './outbox-relay.ts';
import { noDuplicateConfirmation } from '../properties/no-duplicate-confirmation.ts';
import { noLostOrder } from '../properties/no-lost-order.ts';

const QUEUE = 'confirmations';

/** The order service (one checkout, `order-1`), the relay if it uses an outbox, and the workers. */
function processes(style: PublishStyle, worker: AnyStateMachine, params: Params): ProcessSpec[] {
  return [
    { name: 'shop', machine: orderPublisher(style, QUEUE), input: { order: 'order-1' } },
    ...(style === 'outbox' ? [{ name: 'relay', machine: outboxRelay, input: IDLE_RELAY, restart: true }] : []),
    ...Array.from({ length: params.workers }, (_, i) => ({ name: `C${i + 1}`, machine: worker, input: IDLE_CONSUMER, restart: true })),
  ];
}

function variant(name: string, summary: string, expected: Variant['expected'], style: PublishStyle, ack: AckMode, keyed: boolean): Variant {
  const worker = confirmationWorker(QUEUE, ack, keyed);
  return {
    name, summary, expected,
    build: (params) => ({
      processes: processes(style, worker, params),
      queues: [{ name: QUEUE }],
      setup: [],
      properties: [...noDuplicateConfirmation(), ...noLostOrder({ charged: false, confirmed: true })],
    }),
  };
}

/**
 * The order-confirmation scenario.
 * @example check(orderConfirm, { variant: 'auto-ack' }).violation?.property // 'no-lost-order'
 */
export const orderConfirm = defineScenario({
  name: 'order-confirm',
  summary: 'an order is published and its shopper notified once (订单确认)',
  source: 'reference article §5; RabbitMQ docs "Publisher Confirms"; the transactional outbox pattern',
  faults: { pauses: 2, crashes: 1, losses: 1 },
  params: {
    workers: { default: 2, min: 1, max: 4, description: 'workers consuming the queue' },
  },
  variants: [
    variant('auto-ack', 'outbox publisher, auto-ack workers', 'violates', 'outbox', 'auto-ack', true),
    variant('publish-no-confirm', 'commit, then publish without confirms', 'violates', 'fire-and-forget', 'ack-after', true),
    variant('confirms-retry', 'commit, then publish with confirms, retrying', 'violates', 'confirms-retry', 'ack-after', true),
    variant('outbox-no-dedupe', 'outbox and relay, workers without an e-mail idempotency key', 'violates', 'outbox', 'ack-after', false),
    variant('outbox', 'outbox and relay, ack-after workers with an e-mail idempotency key', 'holds', 'outbox', 'ack-after', true),
  ],
});
