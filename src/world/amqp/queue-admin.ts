/**
 * Queue administration in the broker model: `queue.declare` (active and passive), `queue.purge`,
 * `queue.delete`. These methods take no channel, so a refusal is returned for the caller to close its channel
 * with, as RabbitMQ does. One layer of {@link BrokerModel} (see broker-state.ts).
 */
import { BrokerState } from './broker-state.ts';
import { inequivalence } from './equivalence.ts';
import { Queue, type QueueSettings } from './queue.ts';

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
 * The queue methods of the broker. Not used alone: {@link BrokerModel} is the broker.
 * @example
 * const broker = new BrokerModel();
 * broker.declareQueue('orders'); // { ok: true }
 * broker.checkQueue('orders'); // { ok: true, messageCount: 0, consumerCount: 0 }
 */
export abstract class QueueAdmin extends BrokerState {
  /**
   * Declares a queue (idempotent). Redeclaring with another durability or dead-letter queue is refused, as
   * RabbitMQ refuses inequivalent arguments (see equivalence.ts). The dead-letter queue need not exist yet: it
   * is looked up when a message dies.
   * @example broker.declareQueue('orders', { deadLetterQueue: 'orders.dlq' }) // { ok: true }
   */
  declareQueue(name: string, options: Omit<QueueSettings, 'since'> = {}): AdminResult {
    const existing = this.queuesByName.get(name);
    if (existing === undefined) {
      const { deadLetterQueue, durable } = options;
      this.queuesByName.set(name, new Queue(name, { deadLetterQueue, durable, since: this.positions }));
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
    const queue = this.queuesByName.get(name);
    if (queue === undefined) return { ok: true, messageCount: 0, cancelled: [] };
    const cancelled = [...this.consumersByTag.values()].filter((c) => c.queue === name).map((c) => c.consumerTag);
    const refusal = options.ifUnused && cancelled.length > 0 ? 'in use' : options.ifEmpty && queue.depth > 0 ? 'not empty' : null;
    if (refusal !== null) return { ok: false, error: `PRECONDITION_FAILED - queue '${name}' in vhost '/' ${refusal}` };
    for (const tag of cancelled) this.consumersByTag.delete(tag);
    this.queuesByName.delete(name);
    return { ok: true, messageCount: queue.depth, cancelled };
  }

  /**
   * `queue.purge`: removes the ready messages and answers how many; unacked deliveries are untouched.
   * @example broker.purgeQueue('orders') // { ok: true, messageCount: 2 }
   */
  purgeQueue(name: string): AdminResult<{ readonly messageCount: number }> {
    const queue = this.queuesByName.get(name);
    return queue === undefined ? { ok: false, error: notFound(name) } : { ok: true, messageCount: queue.purge() };
  }

  /**
   * A passive `queue.declare` (amqplib's `checkQueue`): the queue's counts, or `NOT_FOUND` for a missing queue.
   * @example broker.checkQueue('orders') // { ok: true, messageCount: 1, consumerCount: 2 }
   */
  checkQueue(name: string): AdminResult<QueueInfo> {
    const queue = this.queuesByName.get(name);
    if (queue === undefined) return { ok: false, error: notFound(name) };
    let consumerCount = 0;
    for (const consumer of this.consumersByTag.values()) if (consumer.queue === name) consumerCount++;
    return { ok: true, messageCount: queue.depth, consumerCount };
  }

  /**
   * The number of ready messages in `queue` (unacked ones not counted); 0 for an unknown queue.
   * @example broker.queueDepth('orders') // 1
   */
  queueDepth(queue: string): number {
    return this.queuesByName.get(queue)?.depth ?? 0;
  }
}

/**
 * RabbitMQ's text for a method naming a queue that does not exist.
 * @example notFound('orders') // "NOT_FOUND - no queue 'orders' in vhost '/'"
 */
export function notFound(queue: string): string {
  return `NOT_FOUND - no queue '${queue}' in vhost '/'`;
}
