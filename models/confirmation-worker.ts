/**
 * The confirmation consumer (the reference article's 订单确认): for each message it marks the order confirmed
 * in the orders table and sends the shopper a confirmation. Marking is idempotent by nature (a status change);
 * the e-mail is not, unless `keyed` sends the order id as the mailer's idempotency key — then a redelivered or
 * re-published message cannot notify the shopper twice.
 */
import type { AnyStateMachine } from 'xstate';
import { ask, type ProtocolEvent } from './protocol.ts';
import { consumerMachine, type AckMode, type ConsumerContext } from './consumer.ts';

/**
 * A confirmation consumer of `queue`.
 * @example confirmationWorker('confirmations', 'ack-after', true)
 */
export function confirmationWorker(queue: string, ack: AckMode, keyed: boolean): AnyStateMachine {
  return consumerMachine(`confirmation-${ack}${keyed ? '-keyed' : ''}`, queue, ack, (next) => ({
    work: { entry: ask<ConsumerContext, ProtocolEvent>((c) => ['DB.CONFIRM', c.order]), on: { reply: 'notify' } },
    notify: {
      entry: ask<ConsumerContext, ProtocolEvent>((c) => (keyed ? ['MAIL.SEND', c.order, c.order] : ['MAIL.SEND', c.order])),
      on: { reply: next },
    },
  }));
}
