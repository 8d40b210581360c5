/**
 * Backend (a) of the AMQP differential test: the commands run directly on the pure broker model, with
 * RabbitMQ's round-robin dispatching after every step, synchronously. Its observations are what the other
 * backends must show.
 */
import { BrokerModel } from '../../src/world/amqp/broker.ts';
import { RoundRobin } from '../../src/world/amqp/round-robin.ts';
import { type Command, SLOTS, slotQueue } from './commands.ts';
import { deliveryLines, type Observation } from './observation.ts';
import { actingSlot, SlotBook } from './slot-book.ts';

/**
 * A sequence's world on the broker model.
 * @example const observations = new ModelWorld().run(commands)
 */
export class ModelWorld {
  readonly #broker: BrokerModel;
  readonly #order: RoundRobin;
  readonly #books = Array.from({ length: SLOTS }, () => new SlotBook());
  /** The model channel of each slot; a new name when the slot opens a new channel. */
  readonly #channels = Array.from({ length: SLOTS }, (_, slot) => `s${slot}.1`);
  /** Per model consumer tag: its slot, its index in start order, and whether it auto-acks. */
  readonly #consumers = new Map<string, { slot: number; index: number; autoAck: boolean }>();
  #published = 0;

  /**
   * A world on `broker` (a fresh model by default; a test may pass one with a rule deliberately wrong).
   * @example new ModelWorld(new BrokerModel())
   */
  constructor(broker: BrokerModel = new BrokerModel()) {
    this.#broker = broker;
    this.#order = new RoundRobin(broker);
    broker.declareQueue('dlq');
    broker.declareQueue('q', { deadLetterQueue: 'dlq' });
  }

  /**
   * Runs `commands` and returns the observation after each.
   * @example new ModelWorld().run([{ op: 'publish', queue: 'q' }])[0].ready // { q: 1, dlq: 0 }
   */
  run(commands: readonly Command[]): Observation[] {
    return commands.map((command) => this.#step(command));
  }

  #step(command: Command): Observation {
    const result = command.op === 'publish' ? this.#publish(command.queue) : this.#onSlot(command);
    const deliveries = this.#order.dispatch().map((d) => {
      const { slot, index, autoAck } = this.#consumers.get(d.consumerTag)!;
      this.#books[slot].received(d.deliveryTag, d.payload, autoAck);
      return { slot, tag: d.deliveryTag, consumer: index, payload: d.payload, redelivered: d.redelivered };
    });
    const count = (queue: 'q' | 'dlq') => this.#broker.checkQueue(queue) as { messageCount: number; consumerCount: number };
    return {
      result,
      deliveries: deliveryLines(deliveries),
      ready: { q: count('q').messageCount, dlq: count('dlq').messageCount },
      consumers: { q: count('q').consumerCount, dlq: count('dlq').consumerCount },
      slots: this.#books.map((book, slot) => (book.open ? this.#broker.unacked(this.#channels[slot]).map((u) => u.payload).join(' ') : 'closed')),
    };
  }

  #publish(queue: 'q' | 'dlq'): string {
    this.#broker.publish(queue, `p${++this.#published}`);
    return 'ok';
  }

  #onSlot(command: Exclude<Command, { op: 'publish' }>): string {
    const at = actingSlot(command, this.#books);
    const book = this.#books[at];
    if (command.op === 'consume' && !book.open) {
      this.#channels[at] = `s${at}.${Number(this.#channels[at].split('.')[1]) + 1}`;
      book.reopened();
    }
    const channel = this.#channels[at];
    if (!book.open) return 'illegal';
    switch (command.op) {
      case 'prefetch':
        book.prefetch = command.count;
        return 'ok';
      case 'consume': {
        if (!book.mayConsume) return 'skipped';
        if (command.prefetch !== null) book.prefetch = command.prefetch;
        const started = this.#broker.consume(channel, slotQueue(at), { prefetch: book.prefetch, autoAck: command.noAck });
        if (!started.ok) {
          book.closed();
          return `closed: ${started.error}`;
        }
        const index = this.#consumers.size;
        this.#consumers.set(started.consumerTag, { slot: at, index, autoAck: command.noAck });
        book.consumers.push({ index, tag: started.consumerTag });
        return 'ok';
      }
      case 'cancel': {
        if (book.consumers.length === 0) return 'skipped';
        const [cancelled] = book.consumers.splice(command.index % book.consumers.length, 1);
        this.#broker.cancel(cancelled.tag);
        return 'ok';
      }
      case 'close':
        this.#broker.closeChannel(channel);
        book.closed();
        return 'ok';
      default: {
        const tag = book.resolve(command.target);
        if (tag === null) return 'skipped';
        const multiple = command.op !== 'reject' && (command.multiple || tag === 0);
        const settled = command.op === 'ack' ? this.#broker.ack(channel, tag, { multiple })
          : command.op === 'nack' ? this.#broker.nack(channel, tag, { multiple, requeue: command.requeue })
          : this.#broker.reject(channel, tag, { requeue: command.requeue });
        if (settled.ok) {
          book.settled(tag, multiple);
          return 'ok';
        }
        book.closed();
        return `closed: ${settled.error}`;
      }
    }
  }
}
