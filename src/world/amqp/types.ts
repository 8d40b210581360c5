/**
 * The vocabulary of the AMQP 0-9-1 broker model: stored messages, deliveries as a consumer sees them, and what
 * an ack, nack, reject or channel close did to each message it touched (what timelines and properties read).
 */

/** A published message. Immutable, so copies of the model share it. */
export interface Message {
  /** Broker-wide publish sequence number, from 1: the order in which publishes reached the broker. */
  readonly seq: number;
  /** The `message-id` property; `m<seq>` when the publisher set none. */
  readonly messageId: string;
  /** The body, as text. */
  readonly payload: string;
  /**
   * What the publishing client attached beyond id and body (the embedded broker keeps amqplib's content Buffer
   * and properties here). The model carries it to every delivery unchanged and never reads it.
   */
  readonly envelope?: unknown;
}

/** A message waiting in a queue, ready to be delivered. */
export interface ReadyMessage {
  /** The message. */
  readonly message: Message;
  /** Where it entered this queue (broker-wide, increasing); a requeue keeps it, see {@link Queue.requeue}. */
  readonly position: number;
  /** True once it was delivered and came back: the next delivery carries `redelivered = true`. */
  readonly redelivered: boolean;
}

/** One `basic.deliver` as the consumer receives it. */
export interface Delivery {
  /** The consumer it went to. */
  readonly consumerTag: string;
  /** The consumer's channel: the delivery tag only means something on it. */
  readonly channel: string;
  /** The queue it came from. */
  readonly queue: string;
  /** Per channel, from 1, increasing with every delivery on that channel (auto-ack ones included). */
  readonly deliveryTag: number;
  /** The message's `message-id`. */
  readonly messageId: string;
  /** The body. */
  readonly payload: string;
  /** True when this message was delivered before (to anyone) and requeued; a hint that it may be a duplicate. */
  readonly redelivered: boolean;
  /** The message's `envelope`, when its publisher attached one (see `Message`). */
  readonly envelope?: unknown;
}

/**
 * What happened to one message: `acked` (gone), `requeued` (back in its queue, redelivered next time),
 * `dead-lettered` (moved to the queue's dead-letter queue, named in `to`), `dropped` (rejected without requeue
 * and no dead-letter queue to take it, or its queue was deleted).
 */
export type SettleOutcome = 'acked' | 'requeued' | 'dead-lettered' | 'dropped';

/** One message an ack, nack, reject or channel close settled. */
export interface Settlement {
  /** The message's `message-id`. */
  readonly messageId: string;
  /** The queue it had been delivered from. */
  readonly queue: string;
  /** Its delivery tag on the channel that held it. */
  readonly deliveryTag: number;
  /** What became of it. */
  readonly outcome: SettleOutcome;
  /** For `dead-lettered`: the queue it moved to. */
  readonly to?: string;
}

/**
 * The answer to a channel method. A channel error (AMQP's `channel.close` with a reply code) is data, not an
 * exception: the channel is closed, and `settled` lists the unacked messages that closing requeued.
 */
export type ChannelResult<T = object> =
  | ({ readonly ok: true; readonly settled: readonly Settlement[] } & T)
  | { readonly ok: false; readonly error: string; readonly settled: readonly Settlement[] };

/**
 * True when `result` is a channel error.
 * @example if (isChannelError(broker.ack('ch', 7))) { ... } // the channel is gone
 */
export function isChannelError<T>(result: ChannelResult<T>): result is Extract<ChannelResult<T>, { ok: false }> {
  return !result.ok;
}

/** A `basic.consume` subscription. */
export interface Consumer {
  /** Its tag, `ctag-<n>` in the order consumers were started. */
  readonly consumerTag: string;
  /** The channel its deliveries go to. */
  readonly channel: string;
  /** The queue it consumes from. */
  readonly queue: string;
  /** Its `basic.qos` prefetch count: at most this many unacked deliveries; 0 = unlimited. */
  readonly prefetch: number;
  /** `no-ack`: a delivery counts as acknowledged the moment it is sent. */
  readonly autoAck: boolean;
}
