/**
 * The broker's canonical content hashed word by word, with no snapshot built: exactly what the snapshot shows
 * (snapshot.ts), so two brokers hash alike iff their snapshots are equal, but for a hash collision. Every list
 * goes in after its length and every optional field after a flag, so no two contents feed the same words.
 */
import type { Channel } from './channel.ts';
import { type BrokerParts, rankOf } from './snapshot.ts';
import type { Consumer } from './types.ts';
import { Hash64, type Fingerprint } from '../../sim/hash64.ts';

/** The broker split by channel: each named channel's own share (its tags, deliveries, consumers), and the rest. */
export interface BrokerShares {
  /** The share of each channel asked for by name, open or not. */
  readonly owned: ReadonlyMap<string, Fingerprint>;
  /** Queues, counters, and the channels and consumers of no name asked for. */
  readonly others: Fingerprint;
}

const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);
const share = new Hash64();

/**
 * Feeds the whole broker into `into`: what `JSON.stringify(snapshotOf(parts))` shows, in another encoding.
 * @example hashBroker(parts, new Hash64().begin()).fingerprint()
 */
export function hashBroker(parts: BrokerParts, into: Hash64): Hash64 {
  hashQueues(parts, into);
  const channels = [...parts.channels].sort(byKey);
  into.word(channels.length);
  for (const [name, channel] of channels) hashChannel(parts, channel, into.text(name));
  const consumers = [...parts.consumers].sort(byKey);
  into.word(consumers.length);
  for (const [, consumer] of consumers) hashConsumer(consumer, true, into);
  return into;
}

/**
 * The broker's shares for symmetry reduction: each channel in `names` with its consumers (the channel name
 * left out, so that twins' shares compare), and the rest with names.
 * @example hashShares(parts, new Set(['worker-1', 'worker-2'])).owned.get('worker-1')
 */
export function hashShares(parts: BrokerParts, names: ReadonlySet<string>): BrokerShares {
  const consumers = [...parts.consumers].sort(byKey);
  const owned = new Map<string, Fingerprint>();
  for (const name of names) {
    const channel = parts.channels.get(name);
    share.begin();
    if (channel === undefined) share.word(0);
    else hashChannel(parts, channel, share.word(1));
    let count = 0;
    for (const [, consumer] of consumers) if (consumer.channel === name) count++;
    share.word(count);
    for (const [, consumer] of consumers) if (consumer.channel === name) hashConsumer(consumer, false, share);
    owned.set(name, share.fingerprint());
  }
  hashQueues(parts, share.begin());
  const others = [...parts.channels].filter(([name]) => !names.has(name)).sort(byKey);
  share.word(others.length);
  for (const [name, channel] of others) hashChannel(parts, channel, share.text(name));
  const unowned = consumers.filter(([, consumer]) => !names.has(consumer.channel));
  share.word(unowned.length);
  for (const [, consumer] of unowned) hashConsumer(consumer, true, share);
  return { owned, others: share.fingerprint() };
}

/** The queues by name with their ready messages, then the broker's counters. */
function hashQueues(parts: BrokerParts, into: Hash64): void {
  const queues = [...parts.queues].sort(byKey);
  into.word(queues.length);
  for (const [name, queue] of queues) {
    into.text(name);
    if (queue.deadLetterQueue === null) into.word(0);
    else into.word(1).text(queue.deadLetterQueue);
    const ready = queue.ready();
    into.word(queue.durable ? 1 : 0).word(ready.length);
    for (const { message, position, redelivered } of ready) {
      into.text(message.messageId).text(message.payload).number(rankOf(parts, name, position)).word(redelivered ? 1 : 0);
    }
  }
  into.number(parts.published).number(parts.consumersStarted);
}

/** A channel's next tag and unacked deliveries, in tag order. */
function hashChannel(parts: BrokerParts, channel: Channel, into: Hash64): void {
  const unacked = channel.unacked();
  into.number(channel.nextTag).word(unacked.length);
  for (const { deliveryTag, consumerTag, queue, message, position } of unacked) {
    into.text(message.messageId).text(message.payload).number(rankOf(parts, queue, position)).number(deliveryTag);
    into.text(consumerTag).text(queue).word(parts.queues.get(queue)?.owns(position) ? 0 : 1);
  }
}

/** A consumer, with or without the name of its channel. */
function hashConsumer(consumer: Consumer, withChannel: boolean, into: Hash64): void {
  into.text(consumer.consumerTag);
  if (withChannel) into.text(consumer.channel);
  into.text(consumer.queue).number(consumer.prefetch).word(consumer.autoAck ? 1 : 0);
}
