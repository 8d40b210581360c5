/**
 * Publishing with publisher confirms, as the RabbitMQ docs advise (https://www.rabbitmq.com/docs/publishers):
 * publish, wait for the broker's confirm, and publish again on a nack or a timeout. A timeout does not say the
 * message is lost — only that its confirm is — so the retry may put a second copy in the queue: at least once.
 */
import type { MachineContext } from 'xstate';
import { ask, type Command, type ProtocolEvent, type ReplyEvent } from './protocol.ts';
import type { StateConfigs } from './lock-client.ts';

const acked = ({ event }: { event: ProtocolEvent }) => event.type === 'reply' && event.value === 'ack';

/**
 * States, entered at `name` and leaving to `next` once the broker acks, that send `publish(context)` (an
 * `AMQP.PUBLISH` with confirm) and send it again on anything else. The retry is a second state, `<name>Again`,
 * since xstate does not re-run entry actions on a self-transition.
 * @example publishUntilAcked('publish', (c) => ['AMQP.PUBLISH', 'orders', c.order, `msg-${c.order}`, 1], 'done')
 */
export function publishUntilAcked<C extends MachineContext, E extends ProtocolEvent = ReplyEvent>(name: string, publish: (context: C) => Command, next: string): StateConfigs {
  const again = `${name}Again`;
  return {
    [name]: { entry: ask<C, E>(publish), on: { reply: [{ guard: acked, target: next }, { target: again }] } },
    [again]: { entry: ask<C, E>(publish), on: { reply: [{ guard: acked, target: next }, { target: name }] } },
  };
}
