/**
 * The state of the broker model, shared by the layers that make up {@link BrokerModel} (broker.ts): queue
 * administration (queue-admin.ts), acknowledgements and channel closes (acknowledgements.ts), publishing and consumer dispatch (dispatch.ts),
 * and the views and copies (broker.ts). Each layer extends the one before it, so the whole broker stays one
 * object with these six fields: cloning and stepping it costs what it did as a single class.
 */
import type { Channel } from './channel.ts';
import type { Queue } from './queue.ts';
import type { Consumer } from './types.ts';

/**
 * What a broker holds. Not used alone: {@link BrokerModel} is the broker.
 * @example
 * class Layer extends BrokerState {
 *   depth(queue: string): number { return this.queuesByName.get(queue)?.depth ?? 0; }
 * }
 */
export abstract class BrokerState {
  /** Every declared queue, by name. */
  protected queuesByName = new Map<string, Queue>();
  /** Every open channel, by name. */
  protected channelsByName = new Map<string, Channel>();
  /** Every consumer, by tag, in the order they started. */
  protected consumersByTag = new Map<string, Consumer>();
  /** Publishes so far: the last publish sequence number. */
  protected published = 0;
  /** Consumers started so far: the last consumer tag's number. */
  protected consumersStarted = 0;
  /** Broker-wide counter of queue entries; only the order of its values matters (see snapshot.ts). */
  protected positions = 0;
}
