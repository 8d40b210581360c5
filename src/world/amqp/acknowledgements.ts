/**
 * Consumer acknowledgements in the broker model: `basic.ack`, `basic.nack`, `basic.reject`, and the requeue of
 * every unacked delivery when a channel closes (https://www.rabbitmq.com/docs/confirms). A requeued message goes
 * back to its place in its queue, flagged redelivered (queue.ts); a message nacked without requeue goes to its
 * queue's dead-letter queue (https://www.rabbitmq.com/docs/dlx). One layer of {@link BrokerModel} (see
 * broker-state.ts).
 */
import { Channel, type Unacked } from './channel.ts';
import { QueueAdmin } from './queue-admin.ts';
import type { Queue } from './queue.ts';
import type { ChannelResult, Settlement } from './types.ts';

/**
 * The settling methods of the broker. Not used alone: {@link BrokerModel} is the broker.
 * @example
 * broker.ack('ch1', 1); // { ok: true, settled: [{ messageId: 'o1', queue: 'orders', deliveryTag: 1, outcome: 'acked' }] }
 * broker.ack('ch1', 1); // { ok: false, error: 'PRECONDITION_FAILED - unknown delivery tag 1', settled: [...] }
 */
export abstract class Acknowledgements extends QueueAdmin {
  /**
   * `basic.ack`: settles the delivery, or with `multiple` every unacked one up to it (tag 0 + multiple: all).
   * An unknown or already-settled tag is a channel error that closes the channel, requeueing the rest.
   * @example broker.ack('ch1', 1) // { ok: true, settled: [{ messageId: 'o1', queue: 'orders', deliveryTag: 1, outcome: 'acked' }] }
   */
  ack(channel: string, deliveryTag: number, options: { multiple?: boolean } = {}): ChannelResult {
    return this.#settle(channel, deliveryTag, options.multiple ?? false, (u) => this.#outcome(u, 'acked'));
  }

  /**
   * `basic.nack`: like ack, but each settled message is requeued (`requeue`) or dead-lettered: moved to the
   * queue's dead-letter queue if it has one that exists, dropped otherwise.
   * @example broker.nack('ch1', 1, { requeue: false }) // outcome 'dead-lettered', to 'orders.dlq'
   */
  nack(channel: string, deliveryTag: number, options: { requeue: boolean; multiple?: boolean }): ChannelResult {
    return this.#settle(channel, deliveryTag, options.multiple ?? false, (u) => (options.requeue ? this.#requeue(u) : this.#deadLetter(u)));
  }

  /**
   * `basic.reject`: a nack of exactly one delivery.
   * @example broker.reject('ch1', 1, { requeue: true }) // outcome 'requeued'
   */
  reject(channel: string, deliveryTag: number, options: { requeue: boolean }): ChannelResult {
    return this.nack(channel, deliveryTag, { requeue: options.requeue, multiple: false });
  }

  /**
   * Closes a channel, which is also what a consumer's crash or lost connection does: its consumers are
   * cancelled and every unacked delivery goes back to its queue, flagged redelivered (the docs: deliveries
   * not acknowledged when their channel closes are automatically requeued). Using the name again opens a
   * fresh channel whose tags restart at 1.
   * @example broker.closeChannel('ch1') // [{ messageId: 'o1', ..., outcome: 'requeued' }]
   */
  closeChannel(channel: string): readonly Settlement[] {
    for (const [tag, consumer] of this.consumersByTag) if (consumer.channel === channel) this.consumersByTag.delete(tag);
    const open = this.channelsByName.get(channel);
    this.channelsByName.delete(channel);
    return open === undefined ? [] : open.drain().map((u) => this.#requeue(u));
  }

  /** A channel error: the broker closes the channel, requeueing its unacked deliveries. */
  protected channelError(channel: string, error: string): { ok: false; error: string; settled: readonly Settlement[] } {
    return { ok: false, error, settled: this.closeChannel(channel) };
  }

  /** Collects what `deliveryTag` settles and applies `settle` to each, or fails the channel. */
  #settle(channel: string, deliveryTag: number, multiple: boolean, settle: (u: Unacked) => Settlement): ChannelResult {
    // A channel that never received anything has nothing outstanding: acking "all" (tag 0) settles nothing.
    const settled = (this.channelsByName.get(channel) ?? new Channel()).settle(deliveryTag, multiple);
    if (settled === null) return this.channelError(channel, `PRECONDITION_FAILED - unknown delivery tag ${deliveryTag}`);
    return { ok: true, settled: settled.map(settle) };
  }

  /** The queue `u` came from, unless it was deleted since (a queue declared later under its name is another). */
  #home(u: Unacked): Queue | undefined {
    const queue = this.queuesByName.get(u.queue);
    return queue?.owns(u.position) ? queue : undefined;
  }

  /** Requeueing puts the message back where it was; a message whose queue was deleted is dropped. */
  #requeue(u: Unacked): Settlement {
    const home = this.#home(u);
    if (home === undefined) return this.#outcome(u, 'dropped');
    home.requeue(u.message, u.position);
    return this.#outcome(u, 'requeued');
  }

  /** Dead-lettering republishes to the dead-letter queue's tail: a new entry there, not yet redelivered. */
  #deadLetter(u: Unacked): Settlement {
    const to = this.#home(u)?.deadLetterQueue ?? null;
    const target = to === null ? undefined : this.queuesByName.get(to);
    if (target === undefined) return this.#outcome(u, 'dropped');
    target.enqueue(u.message, ++this.positions);
    return { ...this.#outcome(u, 'dead-lettered'), to: target.name };
  }

  #outcome(u: Unacked, outcome: Settlement['outcome']): Settlement {
    return { messageId: u.message.messageId, queue: u.queue, deliveryTag: u.deliveryTag, outcome };
  }
}
