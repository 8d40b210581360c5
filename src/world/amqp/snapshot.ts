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
  return {
    queues: [...parts.queues].sort(byName).map(([name, queue]) => ({
      name,
      deadLetterQueue: queue.deadLetterQueue,
      ...(queue.durable ? { durable: true as const } : {}),
      ready: queue.ready().map(({ message, position, redelivered }) => ({
        messageId: message.messageId, payload: message.payload, rank: rankOf(parts, name, position), redelivered,
      })),
    })),
    channels: [...parts.channels].sort(byName).map(([name, channel]) => ({
      name,
      nextDeliveryTag: channel.nextTag,
      unacked: channel.unacked().map(({ deliveryTag, consumerTag, queue, message, position }) => ({
        messageId: message.messageId, payload: message.payload, rank: rankOf(parts, queue, position), deliveryTag, consumerTag, queue,
        ...(parts.queues.get(queue)?.owns(position) ? {} : { orphaned: true as const }),
      })),
    })),
    consumers: [...parts.consumers].sort(byName).map(([, consumer]) => consumer),
    published: parts.published,
    consumersStarted: parts.consumersStarted,
  };
}

/**
 * The rank of the message at `position` among every message of `queue`, ready or unacked: how many of them
 * entered it earlier (positions are broker-wide and distinct). Counting beats indexing at a broker's sizes.
 * @example rankOf(parts, 'orders', 7) // 0: the oldest message of 'orders'
 */
export function rankOf(parts: BrokerParts, queue: string, position: number): number {
  let rank = 0;
  const ready = parts.queues.get(queue)?.ready() ?? [];
  for (let i = 0; i < ready.length; i++) if (ready[i].position < position) rank++;
  for (const channel of parts.channels.values()) {
    const unacked = channel.unacked();
    for (let i = 0; i < unacked.length; i++) if (unacked[i].position < position && unacked[i].queue === queue) rank++;
  }
  return rank;
}
