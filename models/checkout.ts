/**
 * Scenario `checkout` — the reference article's whole flow (../shared/seed.txt §5): buyers race for the last
 * unit; each takes the stock lock, deducts the stock, records the sale and creates its order, whose payment
 * message goes to `payments`; a payment worker charges the card and publishes the confirmation to
 * `confirmations`; a confirmation worker confirms the order and e-mails the shopper. Every fault of the other
 * scenarios can land anywhere in it. The buggy variants each keep one classic mistake; `outbox` fixes them all:
 * fencing tokens on the stock, order and outbox row in one transaction with a relay, idempotency keys at the
 * gateway and the mailer.
 */
import type { AnyStateMachine } from 'xstate';
import { defineScenario, type Params, type ProcessSpec, type Variant } from '../src/scenario.ts';
import { lockClients, type LockProtocol } from './lock-client.ts';
import { lockedMachine } from './locked-machine.ts';
import { naiveLock } from './naive-lock.ts';
import { fencedLock } from './fenced-lock.ts';
import { buyerParams, fencedSection, plainSection, STOCK_KEYS, type BuyerContext } from './stock-section.ts';
import { publishOrder, type PublishStyle } from './order-publisher.ts';
import { IDLE_RELAY, outboxRelay } from './outbox-relay.ts';
import { IDLE_CONSUMER, type AckMode } from './consumer.ts';
import { paymentWorker } from './payment-worker.ts';
import { confirmationWorker } from './confirmation-worker.ts';
import { noOversell } from '../properties/no-oversell.ts';
import { noGhostCharge } from '../properties/no-ghost-charge.ts';
import { noDuplicateCharge } from '../properties/no-duplicate-charge.ts';
import { noDuplicateConfirmation } from '../properties/no-duplicate-confirmation.ts';
import { noLostOrder } from '../properties/no-lost-order.ts';

const QUEUES = { payments: 'payments', confirmations: 'confirmations' } as const;
const LOCK_KEY = 'lock:stock';

/** One variant's protocol choices. */
interface Design {
  /** The buyers' lock, and whether their stock store checks fencing tokens. */
  readonly lock: 'naive' | 'fenced';
  /** How a buyer publishes its order's payment message. */
  readonly publish: PublishStyle;
  /** The payment worker's acknowledgement mode and whether it charges with an idempotency key. */
  readonly payment: { readonly ack: AckMode; readonly keyed: boolean };
  /** The same for the confirmation worker and its e-mails. */
  readonly confirmation: { readonly ack: AckMode; readonly keyed: boolean };
}

function buyer(id: string, design: Design): AnyStateMachine {
  const lock: LockProtocol = design.lock === 'naive' ? naiveLock : fencedLock();
  const section = design.lock === 'naive' ? plainSection : fencedSection;
  return lockedMachine<BuyerContext>(id, lock, (l) => ({ ...section(l, 'order'), ...publishOrder(design.publish, QUEUES.payments, 'release') }));
}

function processes(machines: Record<'buyer' | 'payment' | 'confirmation', AnyStateMachine>, design: Design, params: Params, prng: Parameters<Variant['build']>[1]): ProcessSpec[] {
  const buyers = lockClients<BuyerContext & { order: string }>(machines.buyer, params.buyers, { lockKey: LOCK_KEY, ttlMs: params.ttl }, prng, { stock: null, order: '' })
    .map((p) => ({ ...p, input: { ...(p.input as object), order: `order-${p.name}` } }));
  return [
    ...buyers,
    ...(design.publish === 'outbox' ? [{ name: 'relay', machine: outboxRelay, input: IDLE_RELAY, restart: true }] : []),
    { name: 'pay', machine: machines.payment, input: IDLE_CONSUMER, restart: true },
    { name: 'confirm', machine: machines.confirmation, input: IDLE_CONSUMER, restart: true },
  ];
}

function variant(name: string, summary: string, expected: Variant['expected'], design: Design): Variant {
  const machines = {
    buyer: buyer(`checkout-buyer-${name}`, design),
    payment: paymentWorker(QUEUES.payments, design.payment.ack, { keyed: design.payment.keyed, confirmTo: QUEUES.confirmations }),
    confirmation: confirmationWorker(QUEUES.confirmations, design.confirmation.ack, design.confirmation.keyed),
  };
  return {
    name, summary, expected,
    build: (params, prng) => ({
      processes: processes(machines, design, params, prng),
      queues: [{ name: QUEUES.payments }, { name: QUEUES.confirmations }],
      setup: [['SET', STOCK_KEYS.stock, params.stock]],
      properties: [
        ...noOversell(STOCK_KEYS, params.stock), ...noGhostCharge(), ...noDuplicateCharge(), ...noDuplicateConfirmation(),
        ...noLostOrder({ charged: true, confirmed: true }),
      ],
    }),
  };
}

const safe = { ack: 'ack-after', keyed: true } as const;

/**
 * The checkout scenario.
 * @example check(checkout, { variant: 'outbox' }).result // 'none'
 */
export const checkout = defineScenario({
  name: 'checkout',
  summary: 'lock, deduct stock, create the order, pay, confirm: the whole flow (下单全流程)',
  source: 'reference article §5; Kleppmann 2016; RabbitMQ docs; the transactional outbox pattern',
  faults: { pauses: 2, crashes: 1, losses: 1 },
  params: buyerParams(2, 4),
  variants: [
    variant('naive', "the article's lock, publish without confirms, ack-after payments, auto-ack confirmations", 'violates',
      { lock: 'naive', publish: 'fire-and-forget', payment: { ack: 'ack-after', keyed: false }, confirmation: { ack: 'auto-ack', keyed: false } }),
    variant('publish-before-commit', 'fenced stock, but the payment message is published before the order is inserted', 'violates',
      { lock: 'fenced', publish: 'publish-first', payment: safe, confirmation: safe }),
    variant('ack-after', 'fenced stock and outbox, payments charged without an idempotency key', 'violates',
      { lock: 'fenced', publish: 'outbox', payment: { ack: 'ack-after', keyed: false }, confirmation: safe }),
    variant('outbox', 'fenced stock, outbox and relay, idempotency keys at the gateway and the mailer', 'holds',
      { lock: 'fenced', publish: 'outbox', payment: safe, confirmation: safe }),
  ],
});
