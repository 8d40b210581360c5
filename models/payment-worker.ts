/**
 * The payment consumer (the reference article's 支付处理): for each `order.paid` message it charges the card
 * through the payment gateway, and in the checkout flow then publishes the order's confirmation message (with
 * confirms, until acked).
 * `keyed` sends the order id as the gateway's idempotency key, so a redelivered message cannot charge twice:
 * the dedupe record is written by the gateway in the same atomic step as the charge. `claimFirst` is the common
 * half-fix: claim the order in Redis with `SET NX` and charge only if the claim is new — a record written apart
 * from the charge, so a crash between the two leaves a claim for a charge that never happened.
 */
import type { AnyStateMachine } from 'xstate';
import { ask, type ProtocolEvent } from './protocol.ts';
import { publishUntilAcked } from './publish-until-acked.ts';
import { consumerMachine, type AckMode, type ConsumerContext } from './consumer.ts';

/** How a payment worker charges. */
export interface PaymentWorkerOptions {
  /** Charge with the order id as idempotency key. */
  readonly keyed: boolean;
  /** After charging, publish the order's confirmation (with a publisher confirm) to this queue. */
  readonly confirmTo?: string;
  /** Before charging, claim the order with Redis `SET processed:<order> 1 NX`; skip the charge if it is claimed. */
  readonly claimFirst?: boolean;
}

/**
 * A payment consumer of `queue`.
 * @example paymentWorker('payments', 'ack-after', { keyed: true })
 */
export function paymentWorker(queue: string, ack: AckMode, options: PaymentWorkerOptions): AnyStateMachine {
  const { keyed, confirmTo, claimFirst } = options;
  const id = `payment-${ack}${keyed ? '-keyed' : ''}${claimFirst ? '-claiming' : ''}${confirmTo ? '-confirming' : ''}`;
  return consumerMachine(id, queue, ack, (next) => ({
    ...(claimFirst && {
      work: {
        entry: ask<ConsumerContext, ProtocolEvent>((c) => ['SET', `processed:${c.order}`, 1, 'NX']),
        on: { reply: [{ guard: ({ event }: { event: ProtocolEvent }) => event.type === 'reply' && event.value === 'OK', target: 'charge' }, { target: next }] },
      },
    }),
    [claimFirst ? 'charge' : 'work']: {
      entry: ask<ConsumerContext, ProtocolEvent>((c) => (keyed ? ['PAY.CHARGE', c.order, c.order] : ['PAY.CHARGE', c.order])),
      on: { reply: confirmTo ? 'publishConfirmation' : next },
    },
    ...(confirmTo && publishUntilAcked<ConsumerContext, ProtocolEvent>('publishConfirmation', (c) => ['AMQP.PUBLISH', confirmTo, c.order, `confirm-${c.order}`, 1], next)),
  }));
}
