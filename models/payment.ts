/**
 * Scenario `payment` — the reference article's 支付处理 (payment processing, ../shared/seed.txt §5): each
 * accepted order has an `order.paid` message on the `payments` queue, and W payment workers consume it and charge
 * the card. Workers crash (a supervisor restarts them) and pause; RabbitMQ redelivers what was not acked.
 * The RabbitMQ docs' acknowledgement modes (https://www.rabbitmq.com/docs/confirms) decide whether a crash loses
 * the payment or charges it twice; an idempotency key at the gateway (Stripe's) makes the redelivery harmless —
 * for as long as the gateway remembers the key.
 */
import type { AnyStateMachine } from 'xstate';
import { defineScenario, type Params, type Variant } from '../src/scenario.ts';
import type { Command } from './protocol.ts';
import { IDLE_CONSUMER, type AckMode } from './consumer.ts';
import { paymentWorker } from './payment-worker.ts';
import { noDuplicateCharge } from '../properties/no-duplicate-charge.ts';
import { noLostOrder } from '../properties/no-lost-order.ts';

const QUEUE = 'payments';

/** Every order accepted, with its payment message queued. */
const acceptedOrders = (count: number): Command[] => Array.from({ length: count }, (_, i) => i + 1)
  .flatMap((n): Command[] => [['DB.CREATE_ORDER', `order-${n}`], ['AMQP.PUBLISH', QUEUE, `order-${n}`, `paid-${n}`]]);

const workers = (machine: AnyStateMachine, params: Params) =>
  Array.from({ length: params.workers }, (_, i) => ({ name: `W${i + 1}`, machine, input: IDLE_CONSUMER, restart: true }));

function variant(name: string, summary: string, expected: Variant['expected'], ack: AckMode, gateway: { keyed: boolean; retention?: boolean; claimFirst?: boolean }): Variant {
  const machine = paymentWorker(QUEUE, ack, { keyed: gateway.keyed, claimFirst: gateway.claimFirst });
  return {
    name, summary, expected,
    build: (params) => ({
      processes: workers(machine, params),
      queues: [{ name: QUEUE }],
      setup: [...(gateway.retention ? [['PAY.KEY_RETENTION', params.window] as Command] : []), ...acceptedOrders(params.orders)],
      properties: [...noDuplicateCharge(), ...noLostOrder({ charged: true, confirmed: false })],
    }),
  };
}

/**
 * The payment scenario.
 * @example check(payment, { variant: 'ack-after' }).violation?.property // 'no-duplicate-charge'
 */
export const payment = defineScenario({
  name: 'payment',
  summary: 'workers charge each paid order from a queue (支付处理)',
  source: 'reference article §5; RabbitMQ docs "Consumer Acknowledgements"; Stripe idempotency keys',
  faults: { pauses: 2, crashes: 1 },
  params: {
    workers: { default: 2, min: 1, max: 4, description: 'workers consuming the queue' },
    orders: { default: 1, min: 1, max: 3, description: 'paid orders waiting in the queue' },
    window: { default: 2000, min: 1, max: 60_000, description: "ms the gateway remembers an idempotency key (dedupe-expiry)" },
  },
  variants: [
    variant('auto-ack', 'auto-ack consumer: the message is gone once sent', 'violates', 'auto-ack', { keyed: false }),
    variant('ack-before', 'ack on receipt, then charge', 'violates', 'ack-before', { keyed: false }),
    variant('ack-after', 'charge, then ack: at-least-once, no dedupe', 'violates', 'ack-after', { keyed: false }),
    variant('claim-first', 'ack-after, claiming the order with Redis SET NX before charging', 'violates', 'ack-after', { keyed: false, claimFirst: true }),
    variant('dedupe-expiry', 'ack-after, idempotency key the gateway forgets after --window ms', 'violates', 'ack-after', { keyed: true, retention: true }),
    variant('idempotent', 'ack-after, order id as the gateway idempotency key', 'holds', 'ack-after', { keyed: true }),
  ],
});
