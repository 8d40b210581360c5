/**
 * Messages in and out of the broker model: publishes through the default exchange, consumers with prefetch,
 * and deliveries with per-channel tags and the redelivered flag (https://www.rabbitmq.com/docs/confirms,
 * /docs/consumer-prefetch). The model never chooses: {@link Dispatch.deliverable} lists every consumer that
 * could receive a message now and the scheduler picks which {@link Dispatch.deliver} happens when.
 * One layer of {@link BrokerModel} (see broker-state.ts).
 */
import { Acknowledgements } from './acknowledgements.ts';
import { Channel } from './channel.ts';
import { notFound } from './queue-admin.ts';
import type { ChannelResult, Consumer, Delivery } from './types.ts';

/** A consumer that could receive a message now, as {@link Dispatch.deliverable} lists it. */
export interface Deliverable {
  /** The consumer. */
  readonly consumerTag: string;
  /** The queue whose head it would receive. */
  readonly queue: string;
}

/** What a publish answers: the confirm (publisher confirms mode), its sequence number, and whether a queue took it. */
export interface PublishResult {
  /** Always `ack`: the model's broker takes every message atomically (losing one is a fault placed outside). */
  readonly confirm: 'ack';
  /** The broker-wide publish sequence number. */
  readonly seq: number;
  /** The message id stored. */
  readonly messageId: string;
  /** False when no queue has that name: the default exchange drops it, yet confirms it (mandatory unset). */
  readonly routed: boolean;
}

/**
 * The publishing and consuming methods of the broker. Not used alone: {@link BrokerModel} is the broker.
 * @example
 * broker.publish('orders', 'order 1', { messageId: 'o1' });
 * broker.consume('ch1', 'orders', { prefetch: 1 }); // { ok: true, consumerTag: 'ctag-1', settled: [] }
 * broker.deliverable(); // [{ consumerTag: 'ctag-1', queue: 'orders' }]
 * broker.deliver('ctag-1'); // { deliveryTag: 1, messageId: 'o1', redelivered: false, ... }
 */
export abstract class Dispatch extends Acknowledgements {
  /**
   * Publishes through the default exchange, which routes to the queue named `queue`. Atomic and confirmed.
   * An `envelope` travels with the message to its deliveries (`Message.envelope` in types.ts).
   * @example broker.publish('orders', 'order 1', { messageId: 'o1' }) // { confirm: 'ack', seq: 1, messageId: 'o1', routed: true }
   */
  publish(queue: string, payload: string, options: { messageId?: string; envelope?: unknown } = {}): PublishResult {
    const seq = ++this.published;
    const { messageId = `m${seq}`, envelope } = options;
    const message = { seq, messageId, payload, ...(envelope === undefined ? {} : { envelope }) };
    const target = this.queuesByName.get(queue);
    target?.enqueue(message, ++this.positions);
    return { confirm: 'ack', seq, messageId: message.messageId, routed: target !== undefined };
  }

  /**
   * Starts a consumer on `channel` (opening the channel if needed). `prefetch` is RabbitMQ's per-consumer
   * `basic.qos` (global = false); 0, the default, is unlimited, and it does not apply to auto-ack consumers
   * (the docs: prefetch has no effect in automatic acknowledgement mode).
   * An unknown queue is a channel error (`NOT_FOUND`) that closes the channel.
   * @example broker.consume('ch1', 'orders', { prefetch: 1 }) // { ok: true, consumerTag: 'ctag-1', settled: [] }
   */
  consume(channel: string, queue: string, options: { prefetch?: number; autoAck?: boolean } = {}): ChannelResult<{ readonly consumerTag: string }> {
    const prefetch = options.prefetch ?? 0;
    if (!Number.isInteger(prefetch) || prefetch < 0 || prefetch > 65535) throw new RangeError(`prefetch must be an integer in 0..65535, got ${prefetch}`);
    if (!this.queuesByName.has(queue)) return this.channelError(channel, notFound(queue));
    this.#open(channel);
    const consumerTag = `ctag-${++this.consumersStarted}`;
    this.consumersByTag.set(consumerTag, { consumerTag, channel, queue, prefetch, autoAck: options.autoAck ?? false });
    return { ok: true, consumerTag, settled: [] };
  }

  /**
   * Cancels a consumer (`basic.cancel`). Its unacked deliveries stay on the channel, still to be acked.
   * Returns false for an unknown tag (RabbitMQ answers `cancel-ok` anyway).
   * @example broker.cancel('ctag-1') // true
   */
  cancel(consumerTag: string): boolean {
    return this.consumersByTag.delete(consumerTag);
  }

  /**
   * The consumers that could receive a message now: queue non-empty and, unless auto-ack or unlimited,
   * fewer unacked deliveries than their prefetch. Sorted by consumer tag.
   * @example broker.deliverable() // [{ consumerTag: 'ctag-1', queue: 'orders' }]
   */
  deliverable(): readonly Deliverable[] {
    const ready: Deliverable[] = [];
    for (const consumer of this.consumersByTag.values()) {
      if (this.#canDeliver(consumer)) ready.push({ consumerTag: consumer.consumerTag, queue: consumer.queue });
    }
    return ready.sort((a, b) => (a.consumerTag < b.consumerTag ? -1 : a.consumerTag > b.consumerTag ? 1 : 0));
  }

  /**
   * Delivers the head of the consumer's queue to it. For an auto-ack consumer the message is gone from the
   * broker at this instant (a crash afterwards loses it). Throws if the consumer is not in `deliverable()`:
   * that is a scheduler bug, not broker behaviour.
   * @example broker.deliver('ctag-1') // { consumerTag: 'ctag-1', channel: 'ch1', queue: 'orders', deliveryTag: 1, ... }
   */
  deliver(consumerTag: string): Delivery {
    const consumer = this.consumersByTag.get(consumerTag);
    if (consumer === undefined || !this.#canDeliver(consumer)) throw new Error(`consumer '${consumerTag}' cannot receive a message now`);
    const channel = this.#open(consumer.channel);
    const { message, position, redelivered } = this.queuesByName.get(consumer.queue)!.shift()!;
    const deliveryTag = channel.takeTag();
    if (!consumer.autoAck) channel.track({ deliveryTag, consumerTag, queue: consumer.queue, message, position });
    const { messageId, payload, envelope } = message;
    return {
      consumerTag, channel: consumer.channel, queue: consumer.queue, deliveryTag, messageId, payload, redelivered,
      ...(envelope === undefined ? {} : { envelope }),
    };
  }

  /**
   * True when `consumerTag` consumes and is below its prefetch limit (or auto-ack, or unlimited), whether or
   * not its queue holds a message: what RabbitMQ's round-robin asks (see round-robin.ts).
   * @example broker.hasRoom('ctag-1') // false once it holds `prefetch` unacked deliveries
   */
  hasRoom(consumerTag: string): boolean {
    const consumer = this.consumersByTag.get(consumerTag);
    if (consumer === undefined) return false;
    if (consumer.autoAck || consumer.prefetch === 0) return true;
    return (this.channelsByName.get(consumer.channel)?.countFor(consumerTag) ?? 0) < consumer.prefetch;
  }

  /**
   * The consumer with tag `consumerTag`, while it consumes.
   * @example broker.consumer('ctag-1')?.autoAck // false
   */
  consumer(consumerTag: string): Consumer | undefined {
    return this.consumersByTag.get(consumerTag);
  }

  /**
   * The consumers, in the order they started.
   * @example broker.consumers().map((c) => c.consumerTag) // ['ctag-1', 'ctag-2']
   */
  consumers(): readonly Consumer[] {
    return [...this.consumersByTag.values()];
  }

  #canDeliver(consumer: Consumer): boolean {
    return this.queueDepth(consumer.queue) > 0 && this.hasRoom(consumer.consumerTag);
  }

  #open(name: string): Channel {
    let channel = this.channelsByName.get(name);
    if (channel === undefined) this.channelsByName.set(name, (channel = new Channel()));
    return channel;
  }
}
