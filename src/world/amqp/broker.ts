/**
 * The pure, synchronous model of the RabbitMQ (AMQP 0-9-1) behaviour at-least-once consumers depend on:
 * queues behind the default exchange, consumers with prefetch, deliveries with per-channel tags and the
 * redelivered flag, ack/nack/reject, requeue on channel close, dead-lettering. Source: the RabbitMQ docs,
 * https://www.rabbitmq.com/docs/confirms (acks, tags, requeue), /docs/consumer-prefetch, /docs/dlx.
 *
 * The model never chooses: {@link BrokerModel.deliverable} lists every consumer that could receive a message
 * now and the scheduler picks which {@link BrokerModel.deliver} happens when (real RabbitMQ round-robins; any
 * order the scheduler picks is one RabbitMQ may show once consumers run at different speeds; round-robin.ts is
 * RabbitMQ's own order, for the embedded broker).
 */
import { Channel, type Unacked } from './channel.ts';
import { inequivalence } from './equivalence.ts';
import { type BrokerShares, hashBroker, hashShares } from './hash.ts';
import { Queue, type QueueSettings } from './queue.ts';
import { type BrokerParts, type BrokerSnapshot, snapshotOf } from './snapshot.ts';
import type { ChannelResult, Consumer, Delivery, Settlement } from './types.ts';
import type { Hash64 } from '../../sim/hash64.ts';

/** A consumer that could receive a message now, as {@link BrokerModel.deliverable} lists it. */
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

/** What `queue.declare` (passive or not) answers: RabbitMQ's `message-count` (ready only) and `consumer-count`. */
export interface QueueInfo {
  /** Ready messages; unacked deliveries are not counted. */
  readonly messageCount: number;
  /** Consumers consuming from it. */
  readonly consumerCount: number;
}

/**
 * The answer to a queue administration method (declare, purge, delete). These take no channel, so a refusal is
 * returned for the caller to close its channel with, as RabbitMQ does.
 */
export type AdminResult<T = object> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: string };

/**
 * An in-memory RabbitMQ broker.
 * @example
 * const broker = new BrokerModel();
 * broker.declareQueue('orders');
 * broker.publish('orders', 'order 1', { messageId: 'o1' });
 * const sub = broker.consume('ch1', 'orders', { prefetch: 1 }); // { ok: true, consumerTag: 'ctag-1', settled: [] }
 * const d = broker.deliver('ctag-1'); // { deliveryTag: 1, messageId: 'o1', redelivered: false, ... }
 * broker.closeChannel('ch1'); // the worker crashed before acking: o1 is ready again, redelivered = true
 */
export class BrokerModel {
  #queues = new Map<string, Queue>();
  #channels = new Map<string, Channel>();
  #consumers = new Map<string, Consumer>();
  #published = 0;
  #consumersStarted = 0;
  /** Broker-wide counter of queue entries; only the order of its values matters (see snapshot.ts). */
  #positions = 0;

  /**
   * Declares a queue (idempotent). Redeclaring with another durability or dead-letter queue is refused, as
   * RabbitMQ refuses inequivalent arguments (see equivalence.ts). The dead-letter queue need not exist yet: it
   * is looked up when a message dies.
   * @example broker.declareQueue('orders', { deadLetterQueue: 'orders.dlq' }) // { ok: true }
   */
  declareQueue(name: string, options: Omit<QueueSettings, 'since'> = {}): AdminResult {
    const existing = this.#queues.get(name);
    if (existing === undefined) {
      const { deadLetterQueue, durable } = options;
      this.#queues.set(name, new Queue(name, { deadLetterQueue, durable, since: this.#positions }));
      return { ok: true };
    }
    const error = inequivalence(existing, options);
    return error === null ? { ok: true } : { ok: false, error };
  }

  /**
   * `queue.delete`: the ready messages are gone, its consumers are cancelled (their tags are returned, for the
   * `basic.cancel` RabbitMQ sends them), and its unacked deliveries stay on their channels: acking them is fine,
   * requeueing them drops them. Deleting a missing queue succeeds with 0; `ifUnused` / `ifEmpty` refuse a queue
   * with consumers / ready messages.
   * @example broker.deleteQueue('orders') // { ok: true, messageCount: 1, cancelled: ['ctag-1'] }
   */
  deleteQueue(
    name: string, options: { ifUnused?: boolean; ifEmpty?: boolean } = {},
  ): AdminResult<{ readonly messageCount: number; readonly cancelled: readonly string[] }> {
    const queue = this.#queues.get(name);
    if (queue === undefined) return { ok: true, messageCount: 0, cancelled: [] };
    const cancelled = [...this.#consumers.values()].filter((c) => c.queue === name).map((c) => c.consumerTag);
    const refusal = options.ifUnused && cancelled.length > 0 ? 'in use' : options.ifEmpty && queue.depth > 0 ? 'not empty' : null;
    if (refusal !== null) return { ok: false, error: `PRECONDITION_FAILED - queue '${name}' in vhost '/' ${refusal}` };
    for (const tag of cancelled) this.#consumers.delete(tag);
    this.#queues.delete(name);
    return { ok: true, messageCount: queue.depth, cancelled };
  }

  /**
   * `queue.purge`: removes the ready messages and answers how many; unacked deliveries are untouched.
   * @example broker.purgeQueue('orders') // { ok: true, messageCount: 2 }
   */
  purgeQueue(name: string): AdminResult<{ readonly messageCount: number }> {
    const queue = this.#queues.get(name);
    return queue === undefined ? { ok: false, error: notFound(name) } : { ok: true, messageCount: queue.purge() };
  }

  /**
   * A passive `queue.declare` (amqplib's `checkQueue`): the queue's counts, or `NOT_FOUND` for a missing queue.
   * @example broker.checkQueue('orders') // { ok: true, messageCount: 1, consumerCount: 2 }
   */
  checkQueue(name: string): AdminResult<QueueInfo> {
    const queue = this.#queues.get(name);
    if (queue === undefined) return { ok: false, error: notFound(name) };
    let consumerCount = 0;
    for (const consumer of this.#consumers.values()) if (consumer.queue === name) consumerCount++;
    return { ok: true, messageCount: queue.depth, consumerCount };
  }

  /**
   * Publishes through the default exchange, which routes to the queue named `queue`. Atomic and confirmed.
   * An `envelope` travels with the message to its deliveries (`Message.envelope` in types.ts).
   * @example broker.publish('orders', 'order 1', { messageId: 'o1' }) // { confirm: 'ack', seq: 1, messageId: 'o1', routed: true }
   */
  publish(queue: string, payload: string, options: { messageId?: string; envelope?: unknown } = {}): PublishResult {
    const seq = ++this.#published;
    const { messageId = `m${seq}`, envelope } = options;
    const message = { seq, messageId, payload, ...(envelope === undefined ? {} : { envelope }) };
    const target = this.#queues.get(queue);
    target?.enqueue(message, ++this.#positions);
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
    if (!this.#queues.has(queue)) return this.#channelError(channel, notFound(queue));
    this.#open(channel);
    const consumerTag = `ctag-${++this.#consumersStarted}`;
    this.#consumers.set(consumerTag, { consumerTag, channel, queue, prefetch, autoAck: options.autoAck ?? false });
    return { ok: true, consumerTag, settled: [] };
  }

  /**
   * Cancels a consumer (`basic.cancel`). Its unacked deliveries stay on the channel, still to be acked.
   * Returns false for an unknown tag (RabbitMQ answers `cancel-ok` anyway).
   * @example broker.cancel('ctag-1') // true
   */
  cancel(consumerTag: string): boolean {
    return this.#consumers.delete(consumerTag);
  }

  /**
   * The consumers that could receive a message now: queue non-empty and, unless auto-ack or unlimited,
   * fewer unacked deliveries than their prefetch. Sorted by consumer tag.
   * @example broker.deliverable() // [{ consumerTag: 'ctag-1', queue: 'orders' }]
   */
  deliverable(): readonly Deliverable[] {
    const ready: Deliverable[] = [];
    for (const consumer of this.#consumers.values()) {
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
    const consumer = this.#consumers.get(consumerTag);
    if (consumer === undefined || !this.#canDeliver(consumer)) throw new Error(`consumer '${consumerTag}' cannot receive a message now`);
    const channel = this.#open(consumer.channel);
    const { message, position, redelivered } = this.#queues.get(consumer.queue)!.shift()!;
    const deliveryTag = channel.takeTag();
    if (!consumer.autoAck) channel.track({ deliveryTag, consumerTag, queue: consumer.queue, message, position });
    const { messageId, payload, envelope } = message;
    return {
      consumerTag, channel: consumer.channel, queue: consumer.queue, deliveryTag, messageId, payload, redelivered,
      ...(envelope === undefined ? {} : { envelope }),
    };
  }

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
    for (const [tag, consumer] of this.#consumers) if (consumer.channel === channel) this.#consumers.delete(tag);
    const open = this.#channels.get(channel);
    this.#channels.delete(channel);
    return open === undefined ? [] : open.drain().map((u) => this.#requeue(u));
  }

  /**
   * The consumer with tag `consumerTag`, while it consumes.
   * @example broker.consumer('ctag-1')?.autoAck // false
   */
  consumer(consumerTag: string): Consumer | undefined {
    return this.#consumers.get(consumerTag);
  }

  /**
   * True while `channel` is open (from its first consume until it is closed).
   * @example broker.isOpen('ch1') // true
   */
  isOpen(channel: string): boolean {
    return this.#channels.has(channel);
  }

  /**
   * The number of ready messages in `queue` (unacked ones not counted); 0 for an unknown queue.
   * @example broker.queueDepth('orders') // 1
   */
  queueDepth(queue: string): number {
    return this.#queues.get(queue)?.depth ?? 0;
  }

  /**
   * The unacked deliveries of `channel`, in tag order (as the snapshot shows them).
   * @example broker.unacked('ch1').map((d) => d.deliveryTag) // [1, 2]
   */
  unacked(channel: string): BrokerSnapshot['channels'][number]['unacked'] {
    return this.snapshot().channels.find((c) => c.name === channel)?.unacked ?? [];
  }

  /**
   * The whole state as plain data, every list in a defined order.
   * @example broker.snapshot().queues[0].ready // [{ messageId: 'o1', payload: 'order 1', rank: 0, redelivered: false }]
   */
  snapshot(): BrokerSnapshot {
    return snapshotOf(this.#parts());
  }

  /**
   * Feeds the state into a search's fingerprint: equal iff the snapshots are, but for a hash collision, and
   * built without one (see hash.ts). The checker's own, not part of the package's API.
   * @example broker.hashInto(new Hash64().begin()).fingerprint()
   */
  hashInto(into: Hash64): Hash64 {
    return hashBroker(this.#parts(), into);
  }

  /**
   * The state split for symmetry reduction: the share of each channel in `names` (its tags, deliveries and
   * consumers) and the rest, fingerprinted (see hash.ts). The checker's own, not part of the package's API.
   * @example broker.hashShares(new Set(['worker-1', 'worker-2'])).owned.get('worker-1')
   */
  hashShares(names: ReadonlySet<string>): BrokerShares {
    return hashShares(this.#parts(), names);
  }

  /**
   * A canonical text of the state: equal fingerprints mean every future operation answers the same, so it
   * serves as a state hash.
   * @example broker.fingerprint() === broker.clone().fingerprint() // true
   */
  fingerprint(): string {
    return JSON.stringify(this.snapshot());
  }

  /**
   * An independent copy.
   * @example const branch = broker.clone()
   */
  clone(): BrokerModel {
    const copy = new BrokerModel();
    copy.#queues = new Map([...this.#queues].map(([name, queue]) => [name, queue.clone()]));
    copy.#channels = new Map([...this.#channels].map(([name, channel]) => [name, channel.clone()]));
    copy.#consumers = new Map(this.#consumers);
    copy.#published = this.#published;
    copy.#consumersStarted = this.#consumersStarted;
    copy.#positions = this.#positions;
    return copy;
  }

  /**
   * True when `consumerTag` consumes and is below its prefetch limit (or auto-ack, or unlimited), whether or
   * not its queue holds a message: what RabbitMQ's round-robin asks (see round-robin.ts).
   * @example broker.hasRoom('ctag-1') // false once it holds `prefetch` unacked deliveries
   */
  hasRoom(consumerTag: string): boolean {
    const consumer = this.#consumers.get(consumerTag);
    if (consumer === undefined) return false;
    if (consumer.autoAck || consumer.prefetch === 0) return true;
    return (this.#channels.get(consumer.channel)?.countFor(consumerTag) ?? 0) < consumer.prefetch;
  }

  /**
   * The consumers, in the order they started.
   * @example broker.consumers().map((c) => c.consumerTag) // ['ctag-1', 'ctag-2']
   */
  consumers(): readonly Consumer[] {
    return [...this.#consumers.values()];
  }

  #parts(): BrokerParts {
    return {
      queues: this.#queues, channels: this.#channels, consumers: this.#consumers,
      published: this.#published, consumersStarted: this.#consumersStarted,
    };
  }

  #canDeliver(consumer: Consumer): boolean {
    return this.queueDepth(consumer.queue) > 0 && this.hasRoom(consumer.consumerTag);
  }

  #open(name: string): Channel {
    let channel = this.#channels.get(name);
    if (channel === undefined) this.#channels.set(name, (channel = new Channel()));
    return channel;
  }

  /** Collects what `deliveryTag` settles and applies `settle` to each, or fails the channel. */
  #settle(channel: string, deliveryTag: number, multiple: boolean, settle: (u: Unacked) => Settlement): ChannelResult {
    // A channel that never received anything has nothing outstanding: acking "all" (tag 0) settles nothing.
    const settled = (this.#channels.get(channel) ?? new Channel()).settle(deliveryTag, multiple);
    if (settled === null) return this.#channelError(channel, `PRECONDITION_FAILED - unknown delivery tag ${deliveryTag}`);
    return { ok: true, settled: settled.map(settle) };
  }

  /** A channel error: the broker closes the channel, requeueing its unacked deliveries. */
  #channelError(channel: string, error: string): { ok: false; error: string; settled: readonly Settlement[] } {
    return { ok: false, error, settled: this.closeChannel(channel) };
  }

  /** The queue `u` came from, unless it was deleted since (a queue declared later under its name is another). */
  #home(u: Unacked): Queue | undefined {
    const queue = this.#queues.get(u.queue);
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
    const target = to === null ? undefined : this.#queues.get(to);
    if (target === undefined) return this.#outcome(u, 'dropped');
    target.enqueue(u.message, ++this.#positions);
    return { ...this.#outcome(u, 'dead-lettered'), to: target.name };
  }

  #outcome(u: Unacked, outcome: Settlement['outcome']): Settlement {
    return { messageId: u.message.messageId, queue: u.queue, deliveryTag: u.deliveryTag, outcome };
  }
}

/** RabbitMQ's text for a method naming a queue that does not exist. */
function notFound(queue: string): string {
  return `NOT_FOUND - no queue '${queue}' in vhost '/'`;
}
