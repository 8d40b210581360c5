/**
 * One classic queue: its ready messages in delivery order and where a requeued message goes back.
 *
 * RabbitMQ (https://www.rabbitmq.com/docs/confirms, "Negative Acknowledgement and Requeuing of Deliveries"):
 * "When a message is requeued, it will be placed to its original position in its queue, if possible. If not
 * (due to concurrent deliveries and acknowledgements from other consumers when multiple consumers share a
 * queue), the message will be requeued to a position closer to queue head." The model's simplification of
 * "original position if possible": requeued messages sit ahead of every message never delivered, ordered
 * among themselves by where they first entered the queue.
 */
import type { Message, ReadyMessage } from './types.ts';

/** How a queue was declared. */
export interface QueueSettings {
  /** Where a rejected-without-requeue message goes (`x-dead-letter-exchange` '' + routing key); none by default. */
  readonly deadLetterQueue?: string | null;
  /** Declared durable (AMQP's default is not); the model keeps nothing on disk, it only compares redeclarations. */
  readonly durable?: boolean;
  /**
   * The broker-wide position counter when the queue was declared: every message of this queue has a higher
   * position, so an unacked message of an older, deleted queue of the same name is told apart (see {@link Queue.owns}).
   */
  readonly since?: number;
}

/** A queue and its ready messages: requeued ones first (by position), then never-delivered ones (FIFO). */
export class Queue {
  /** The queue's name; the default exchange routes a publish to the queue of this name. */
  readonly name: string;
  /** Where a rejected-without-requeue message goes, or `null`. */
  readonly deadLetterQueue: string | null;
  /** Whether it was declared durable. */
  readonly durable: boolean;
  /** See {@link QueueSettings.since}. */
  readonly since: number;
  #ready: ReadyMessage[];

  /**
   * Creates an empty queue.
   * @example new Queue('orders', { deadLetterQueue: 'orders.dlq' })
   */
  constructor(name: string, settings: QueueSettings = {}, ready: readonly ReadyMessage[] = []) {
    this.name = name;
    this.deadLetterQueue = settings.deadLetterQueue ?? null;
    this.durable = settings.durable ?? false;
    this.since = settings.since ?? 0;
    this.#ready = [...ready];
  }

  /**
   * True when a message at `position` entered this queue, not an older queue of the same name since deleted.
   * @example queue.owns(unacked.position) // false: its queue was deleted and declared again
   */
  owns(position: number): boolean {
    return position > this.since;
  }

  /**
   * Appends a message at the tail (a publish, or a dead-lettered message arriving).
   * @example queue.enqueue({ seq: 1, messageId: 'm1', payload: 'order 1' }, 1)
   */
  enqueue(message: Message, position: number): void {
    this.#ready.push({ message, position, redelivered: false });
  }

  /**
   * Puts a delivered message back, flagged redelivered: after the requeued messages of lower position, ahead
   * of the first requeued one of higher position and of every never-delivered message.
   * @example queue.requeue(message, 1) // next delivery: message, redelivered = true
   */
  requeue(message: Message, position: number): void {
    let at = 0;
    while (at < this.#ready.length && this.#ready[at].redelivered && this.#ready[at].position < position) at++;
    this.#ready.splice(at, 0, { message, position, redelivered: true });
  }

  /**
   * Removes and returns the head, the next message to deliver; `undefined` when empty.
   * @example const next = queue.shift()
   */
  shift(): ReadyMessage | undefined {
    return this.#ready.shift();
  }

  /**
   * Removes every ready message (`queue.purge`) and returns how many; unacked deliveries are not touched.
   * @example queue.purge() // 2
   */
  purge(): number {
    return this.#ready.splice(0).length;
  }

  /**
   * The number of ready messages (RabbitMQ's `messages_ready`; unacked deliveries are not counted).
   * @example queue.depth // 0 for a new queue
   */
  get depth(): number {
    return this.#ready.length;
  }

  /**
   * The ready messages in delivery order.
   * @example queue.ready().map((r) => r.message.messageId) // ['m2', 'm3']
   */
  ready(): readonly ReadyMessage[] {
    return this.#ready;
  }

  /**
   * An independent copy; entries are immutable, so copies share them.
   * @example const branch = queue.clone()
   */
  clone(): Queue {
    return new Queue(this.name, this, this.#ready);
  }
}
