/**
 * One channel's side of acknowledgements: its delivery-tag counter and its unacked deliveries.
 *
 * RabbitMQ (https://www.rabbitmq.com/docs/confirms, "Delivery Identifiers: Delivery Tags"): delivery tags
 * are scoped per channel, a monotonically growing positive integer; acknowledging on another channel, or a
 * tag that is not outstanding, is a channel error (`PRECONDITION_FAILED - unknown delivery tag`).
 */
import type { Message } from './types.ts';

/** A delivery waiting for its ack. */
export interface Unacked {
  /** Its tag on this channel. */
  readonly deliveryTag: number;
  /** The consumer it went to (prefetch is counted per consumer). */
  readonly consumerTag: string;
  /** The queue it came from, and goes back to on requeue. */
  readonly queue: string;
  /** The message. */
  readonly message: Message;
  /** Its position in that queue, kept so a requeue can put it back there. */
  readonly position: number;
}

/** A channel: the next delivery tag and the unacked deliveries, in tag order. */
export class Channel {
  #nextTag: number;
  #unacked: Unacked[];

  /**
   * Creates a fresh channel: tags start at 1.
   * @example new Channel()
   */
  constructor(nextTag = 1, unacked: readonly Unacked[] = []) {
    this.#nextTag = nextTag;
    this.#unacked = [...unacked];
  }

  /**
   * Hands out the next delivery tag (every delivery takes one, auto-ack deliveries included).
   * @example channel.takeTag() // 1, then 2, ...
   */
  takeTag(): number {
    return this.#nextTag++;
  }

  /**
   * The tag the next delivery will get.
   * @example new Channel().nextTag // 1
   */
  get nextTag(): number {
    return this.#nextTag;
  }

  /**
   * Records a delivery that needs an ack; tags only grow, so appending keeps tag order.
   * @example channel.track({ deliveryTag: 1, consumerTag: 'ctag-1', queue: 'q', message, position: 1 })
   */
  track(unacked: Unacked): void {
    this.#unacked.push(unacked);
  }

  /**
   * Removes and returns what an ack/nack of `deliveryTag` settles: that delivery, and with `multiple` every
   * outstanding one up to it; tag 0 with `multiple` means all outstanding. `null` (and nothing removed) when
   * the tag is not outstanding, even with `multiple` (RabbitMQ's `collect_acks` fails the same way).
   * @example channel.settle(3, true) // deliveries 1..3 still unacked
   */
  settle(deliveryTag: number, multiple: boolean): Unacked[] | null {
    if (multiple && deliveryTag === 0) return this.drain();
    const index = this.#unacked.findIndex((u) => u.deliveryTag === deliveryTag);
    if (index < 0) return null;
    return multiple ? this.#unacked.splice(0, index + 1) : this.#unacked.splice(index, 1);
  }

  /**
   * Removes and returns every unacked delivery, in tag order (what closing the channel requeues).
   * @example channel.drain().length // 2
   */
  drain(): Unacked[] {
    return this.#unacked.splice(0);
  }

  /**
   * The unacked deliveries in tag order.
   * @example channel.unacked().map((u) => u.deliveryTag) // [2, 3]
   */
  unacked(): readonly Unacked[] {
    return this.#unacked;
  }

  /**
   * How many deliveries to `consumerTag` are unacked (what its prefetch limit counts).
   * @example channel.countFor('ctag-1') // 1
   */
  countFor(consumerTag: string): number {
    let count = 0;
    for (const u of this.#unacked) if (u.consumerTag === consumerTag) count++;
    return count;
  }

  /**
   * An independent copy.
   * @example const branch = channel.clone()
   */
  clone(): Channel {
    return new Channel(this.#nextTag, this.#unacked);
  }
}
