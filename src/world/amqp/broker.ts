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
 *
 * The broker is built in layers over one state (broker-state.ts): queue administration (queue-admin.ts),
 * acknowledgements (acknowledgements.ts), publishing and dispatch (dispatch.ts); this last layer adds what
 * reads the whole state: snapshots, fingerprints and copies.
 */
import { Dispatch } from './dispatch.ts';
import { type BrokerShares, hashBroker, hashShares } from './hash.ts';
import { type BrokerParts, type BrokerSnapshot, snapshotOf } from './snapshot.ts';
import type { Hash64 } from '../../sim/hash64.ts';

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
export class BrokerModel extends Dispatch {
  /**
   * True while `channel` is open (from its first consume until it is closed).
   * @example broker.isOpen('ch1') // true
   */
  isOpen(channel: string): boolean {
    return this.channelsByName.has(channel);
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
    copy.queuesByName = new Map([...this.queuesByName].map(([name, queue]) => [name, queue.clone()]));
    copy.channelsByName = new Map([...this.channelsByName].map(([name, channel]) => [name, channel.clone()]));
    copy.consumersByTag = new Map(this.consumersByTag);
    copy.published = this.published;
    copy.consumersStarted = this.consumersStarted;
    copy.positions = this.positions;
    return copy;
  }

  #parts(): BrokerParts {
    return {
      queues: this.queuesByName, channels: this.channelsByName, consumers: this.consumersByTag,
      published: this.published, consumersStarted: this.consumersStarted,
    };
  }
}
