/**
 * The canonical, plain-data view of a broker: what a timeline prints and what a fingerprint hashes. Queue
 * positions are broker-wide counters whose absolute values depend on the order in which unrelated queues were
 * written, so the snapshot replaces each by its rank among the messages of its queue (ready and unacked): two
 * brokers with equal snapshots deliver, requeue and settle every future operation the same way.
 */
import type { Channel } from './channel.ts';
import type { Queue } from './queue.ts';
import type { Consumer } from './types.ts';

/** One message in a snapshot. */
export interface MessageView {
  /** Its `message-id`. */
  readonly messageId: string;
  /** Its body. */
  readonly payload: string;
  /** Its order among all messages of its queue, ready or unacked, from 0 (where a requeue puts it back). */
  readonly rank: number;
}

/** A queue in a snapshot. */
export interface QueueView {
  readonly name: string;
  readonly deadLetterQueue: string | null;
  /** Present (true) only for a queue declared durable, so snapshots of non-durable queues keep their old form. */
  readonly durable?: true;
  /** Ready messages in delivery order. */
  readonly ready: readonly (MessageView & { readonly redelivered: boolean })[];
}

/** A channel in a snapshot. */
export interface ChannelView {
  readonly name: string;
  /** The tag its next delivery gets. */
  readonly nextDeliveryTag: number;
  /** Unacked deliveries in tag order. */
  readonly unacked: readonly (MessageView & {
    readonly deliveryTag: number; readonly consumerTag: string; readonly queue: string;
    /** Present (true) only when its queue was deleted since: a requeue drops it. */
    readonly orphaned?: true;
  })[];
}

/** A whole broker as plain data, every list in a defined order. */
export interface BrokerSnapshot {
  /** Queues sorted by name. */
  readonly queues: readonly QueueView[];
  /** Open channels sorted by name. */
  readonly channels: readonly ChannelView[];
  /** Consumers sorted by tag. */
  readonly consumers: readonly Consumer[];
  /** Publishes so far (the next default message id is `m<published + 1>`). */
  readonly published: number;
  /** Consumers started so far (the next consumer tag is `ctag-<consumersStarted + 1>`). */
  readonly consumersStarted: number;
}

/** The broker state the snapshot reads. */
export interface BrokerParts {
  readonly queues: ReadonlyMap<string, Queue>;
  readonly channels: ReadonlyMap<string, Channel>;
  readonly consumers: ReadonlyMap<string, Consumer>;
  readonly published: number;
  readonly consumersStarted: number;
}

const byName = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Builds the canonical snapshot of `parts`.
 * @example JSON.stringify(snapshotOf({ queues, channels, consumers, published: 0, consumersStarted: 0 }))
 */
export function snapshotOf(parts: BrokerParts): BrokerSnapshot {
  const channels = [...parts.channels].sort(byName);
  const rank = ranks(parts.queues, channels.map(([, channel]) => channel));
  return {
    queues: [...parts.queues].sort(byName).map(([name, queue]) => ({
      name,
      deadLetterQueue: queue.deadLetterQueue,
      ...(queue.durable ? { durable: true as const } : {}),
      ready: queue.ready().map(({ message, position, redelivered }) => ({
        messageId: message.messageId, payload: message.payload, rank: rank(name, position), redelivered,
      })),
    })),
    channels: channels.map(([name, channel]) => ({
      name,
      nextDeliveryTag: channel.nextTag,
      unacked: channel.unacked().map(({ deliveryTag, consumerTag, queue, message, position }) => ({
        messageId: message.messageId, payload: message.payload, rank: rank(queue, position), deliveryTag, consumerTag, queue,
        ...(parts.queues.get(queue)?.owns(position) ? {} : { orphaned: true as const }),
      })),
    })),
    consumers: [...parts.consumers].sort(byName).map(([, consumer]) => consumer),
    published: parts.published,
    consumersStarted: parts.consumersStarted,
  };
}

/** A lookup from (queue, position) to the position's rank among every message of that queue. */
function ranks(queues: ReadonlyMap<string, Queue>, channels: readonly Channel[]): (queue: string, position: number) => number {
  const positions = new Map<string, number[]>();
  const add = (queue: string, position: number) => {
    const list = positions.get(queue);
    if (list === undefined) positions.set(queue, [position]);
    else list.push(position);
  };
  for (const [name, queue] of queues) for (const { position } of queue.ready()) add(name, position);
  for (const channel of channels) for (const { queue, position } of channel.unacked()) add(queue, position);
  const index = new Map<string, Map<number, number>>();
  for (const [queue, list] of positions) {
    index.set(queue, new Map(list.sort((a, b) => a - b).map((position, i) => [position, i])));
  }
  return (queue, position) => index.get(queue)?.get(position) ?? -1;
}
