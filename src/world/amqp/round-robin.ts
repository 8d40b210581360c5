/**
 * RabbitMQ's own choice of consumer, for the embedded broker and the fidelity tests (the checker explores every
 * choice instead, see broker.ts). A classic queue keeps its consumers in a line (`rabbit_queue_consumers`): a
 * message goes to the consumer at the front, which moves to the back; a consumer found at its prefetch limit
 * when its turn comes leaves the line ("blocked") and rejoins at the back once an ack frees a slot; a new
 * consumer joins at the back. RabbitMQ dispatches eagerly, after every method that could make a delivery
 * possible, so {@link RoundRobin.dispatch} must run after every broker operation; then the line changes it
 * infers from the broker's state (who consumes, who has room) happen in the order RabbitMQ applies them.
 */
import type { BrokerModel } from './broker.ts';
import type { Delivery } from './types.ts';

/** One queue's consumers: those in line, front first, and those blocked, in the order they were found full. */
interface Line {
  readonly waiting: string[];
  readonly blocked: string[];
}

/**
 * Delivers a broker's ready messages the way RabbitMQ does.
 * @example
 * const broker = new BrokerModel();
 * const rr = new RoundRobin(broker);
 * broker.declareQueue('q');
 * broker.consume('a', 'q'); broker.consume('b', 'q');
 * broker.publish('q', 'x'); broker.publish('q', 'y');
 * rr.dispatch().map((d) => d.channel) // ['a', 'b']
 */
export class RoundRobin {
  readonly #broker: BrokerModel;
  #lines = new Map<string, Line>();

  /**
   * Follows `broker`, whose consumers join the line as they appear.
   * @example new RoundRobin(broker)
   */
  constructor(broker: BrokerModel) {
    this.#broker = broker;
  }

  /**
   * Makes every delivery RabbitMQ would make now and returns them in the order made.
   * @example broker.ack('a', 1); rr.dispatch() // the next message, to whoever is at the front with room
   */
  dispatch(): Delivery[] {
    this.#follow();
    const deliveries: Delivery[] = [];
    for (const [queue, { waiting, blocked }] of this.#lines) {
      while (waiting.length > 0 && this.#broker.queueDepth(queue) > 0) {
        const tag = waiting.shift()!;
        if (this.#broker.hasRoom(tag)) {
          deliveries.push(this.#broker.deliver(tag));
          waiting.push(tag);
        } else blocked.push(tag);
      }
    }
    return deliveries;
  }

  /** Drops consumers that stopped, moves blocked ones with room back in line, lines up new ones. */
  #follow(): void {
    const consumers = this.#broker.consumers();
    const live = new Set(consumers.map((c) => c.consumerTag));
    const seen = new Set<string>();
    for (const [queue, line] of this.#lines) {
      const waiting = line.waiting.filter((tag) => live.has(tag));
      const blocked = line.blocked.filter((tag) => live.has(tag));
      const unblocked = blocked.filter((tag) => this.#broker.hasRoom(tag));
      const next = { waiting: [...waiting, ...unblocked], blocked: blocked.filter((tag) => !unblocked.includes(tag)) };
      for (const tag of [...next.waiting, ...next.blocked]) seen.add(tag);
      if (next.waiting.length + next.blocked.length === 0) this.#lines.delete(queue);
      else this.#lines.set(queue, next);
    }
    for (const { consumerTag, queue } of consumers) {
      if (seen.has(consumerTag)) continue;
      const line = this.#lines.get(queue) ?? { waiting: [], blocked: [] };
      line.waiting.push(consumerTag);
      this.#lines.set(queue, line);
    }
  }
}
