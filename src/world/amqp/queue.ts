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

/** A queue and its ready messages: requeued ones first (by position), then never-delivered ones (FIFO). */
export class Queue {
  /** The queue's name; the default exchange routes a publish to the queue of this name. */
  readonly name: string;
  /** Where a rejected-without-requeue message goes (`x-dead-letter-exchange` '' + routing key), or `null`. */
  readonly deadLetterQueue: string | null;
  #ready: ReadyMessage[];

  /**
   * Creates an empty queue.
   * @example new Queue('orders', 'orders.dlq')
   */
  constructor(name: string, deadLetterQueue: string | null = null, ready: readonly ReadyMessage[] = []) {
    this.name = name;
    this.deadLetterQueue = deadLetterQueue;
    this.#ready = [...ready];
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
    return new Queue(this.name, this.deadLetterQueue, this.#ready);
  }
}
