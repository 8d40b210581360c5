/**
 * Backends (b) and (c) of the AMQP differential test: the commands run through amqplib's promise API — on the
 * embedded broker's connection or on a real RabbitMQ connection, by the same code.
 *
 * A broker works asynchronously, so after each command the world waits until the step has settled before it
 * observes: the command's own round trip (a passive declare on the slot's channel after an ack, nack or reject
 * — RabbitMQ handles a channel's methods in order, so the reply comes after the settle took effect, or the
 * channel's close comes instead), then passive declares of both queues until the counts and the number of
 * deliveries are those the model expects, or `timeoutMs` passes. The expectation only says how long to wait:
 * the observation is then taken as it is and compared in full, so a backend that never reaches the expected
 * state shows the divergence after the timeout, and one that does more than expected shows it in the counts or
 * in a later step. A step that sent the broker nothing (skipped, or refused by amqplib) is not waited for.
 */
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { type Command, SLOTS, slotQueue, type QueueRole } from './commands.ts';
import { type DeliveryFact, deliveryLines, type Observation, replyText } from './observation.ts';
import { actingSlot, SlotBook } from './slot-book.ts';

/** A slot: its channel (kept after it closes, so that using it shows amqplib's refusal) and the client's record. */
interface Slot {
  channel: Channel;
  readonly book: SlotBook;
  /** The reply text of the channel error that closed it during the current step. */
  closedWith: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The channels every sequence on a connection shares, never closed by a sequence (the connection's close
 * closes them): `publisher` (confirms) publishes and observes `q`, `observer` observes `dlq`, so the two
 * passive declares after each step run in parallel.
 */
interface Control {
  readonly publisher: ConfirmChannel;
  readonly observer: Channel;
}

const controls = new WeakMap<ChannelModel, Promise<Control>>();

/** The connection's control channels, opened by its first sequence. */
function control(connection: ChannelModel): Promise<Control> {
  let opened = controls.get(connection);
  if (opened === undefined) {
    opened = Promise.all([connection.createConfirmChannel(), connection.createChannel()]).then(([publisher, observer]) => ({ publisher, observer }));
    controls.set(connection, opened);
  }
  return opened;
}

/** `illegal` for amqplib's refusal to use a closed channel; anything else is a failure of the test itself. */
function refusal(error: unknown): string {
  if (error instanceof Error && error.name === 'IllegalOperationError') return 'illegal';
  throw error;
}

/**
 * A sequence's world on an amqplib-shaped connection, with queues named `names`.
 * @example
 * const world = await ClientWorld.open(connection, { q: 'interleave-test-1-1', dlq: 'interleave-test-1-1.dlq' }, 1000);
 * try { await world.step(command, expected) } finally { await world.dispose() }
 */
export class ClientWorld {
  readonly #connection: ChannelModel;
  readonly #names: Readonly<Record<QueueRole, string>>;
  readonly #timeoutMs: number;
  readonly #control: Control;
  readonly #slots: Slot[] = [];
  #deliveries: DeliveryFact[] = [];
  /** The queues' counts after the last step. */
  #counts: Pick<Observation, 'ready' | 'consumers'> = { ready: { q: 0, dlq: 0 }, consumers: { q: 0, dlq: 0 } };
  #published = 0;
  #consumersStarted = 0;

  private constructor(connection: ChannelModel, names: Readonly<Record<QueueRole, string>>, timeoutMs: number, control: Control) {
    this.#connection = connection;
    this.#names = names;
    this.#timeoutMs = timeoutMs;
    this.#control = control;
  }

  /**
   * Declares the sequence's queues (`q` dead-letters to `dlq`) and opens its slot channels.
   * @example await ClientWorld.open(connection, names, 1000)
   */
  static async open(connection: ChannelModel, names: Readonly<Record<QueueRole, string>>, timeoutMs: number): Promise<ClientWorld> {
    const world = new ClientWorld(connection, names, timeoutMs, await control(connection));
    try {
      // In parallel where the broker allows it (one method at a time per channel): setup is much of the cost.
      const { publisher, observer } = world.#control;
      const [channels] = await Promise.all([
        Promise.all(Array.from({ length: SLOTS }, (_, slot) => world.#channel(slot))),
        publisher.assertQueue(names.q, { durable: false, deadLetterExchange: '', deadLetterRoutingKey: names.dlq }),
        observer.assertQueue(names.dlq, { durable: false }),
      ]);
      for (const channel of channels) world.#slots.push({ channel, book: new SlotBook(), closedWith: null });
    } catch (error) {
      await world.dispose();
      throw error;
    }
    return world;
  }

  /**
   * Runs `command`, waits until the step settles (towards `expected`, at most the timeout), and observes.
   * @example const observation = await world.step({ op: 'publish', queue: 'q' }, expected)
   */
  async step(command: Command, expected: Observation): Promise<Observation> {
    this.#deliveries = [];
    for (const slot of this.#slots) slot.closedWith = null;
    const result = command.op === 'publish' ? await this.#publish(command.queue) : await this.#onSlot(command);
    // A skipped or refused command sent the broker nothing, and nothing else changes a settled broker.
    if (result !== 'skipped' && result !== 'illegal') this.#counts = await this.#settle(expected);
    const { ready, consumers } = this.#counts;
    return { result, deliveries: deliveryLines(this.#deliveries), ready, consumers, slots: this.#slots.map((s) => s.book.view()) };
  }

  /**
   * Closes the channels and deletes the queues; safe to call after a failure.
   * @example await world.dispose()
   */
  async dispose(): Promise<void> {
    const ignore = () => undefined;
    await Promise.all([
      this.#control.publisher.deleteQueue(this.#names.q).catch(ignore),
      this.#control.observer.deleteQueue(this.#names.dlq).catch(ignore),
      ...this.#slots.filter((s) => s.book.open).map((s) => s.channel.close().catch(ignore)),
    ]);
  }

  async #channel(slot: number): Promise<Channel> {
    const channel = await this.#connection.createChannel();
    // Only the slot's current channel speaks for it.
    const current = () => (this.#slots[slot]?.channel === channel ? this.#slots[slot] : undefined);
    channel.on('error', (error: Error) => {
      const owner = current();
      if (owner !== undefined) owner.closedWith = replyText(error.message);
    });
    channel.on('close', () => current()?.book.closed());
    return channel;
  }

  async #publish(queue: QueueRole): Promise<string> {
    this.#control.publisher.sendToQueue(this.#names[queue], Buffer.from(`p${++this.#published}`));
    await this.#control.publisher.waitForConfirms();
    return 'ok';
  }

  async #onSlot(command: Exclude<Command, { op: 'publish' }>): Promise<string> {
    const at = actingSlot(command, this.#slots.map((s) => s.book));
    const slot = this.#slots[at];
    if (command.op === 'consume' && !slot.book.open) {
      slot.channel = await this.#channel(at);
      slot.book.reopened();
    }
    const { channel, book } = slot;
    try {
      switch (command.op) {
        case 'prefetch':
          await channel.prefetch(command.count);
          book.prefetch = command.count;
          return 'ok';
        case 'consume': {
          if (!book.mayConsume) return 'skipped';
          const index = this.#consumersStarted;
          const onMessage = (message: ConsumeMessage | null) => {
            if (message !== null) this.#received(at, index, command.noAck, message);
          };
          if (command.prefetch !== null) {
            await channel.prefetch(command.prefetch);
            book.prefetch = command.prefetch;
          }
          const { consumerTag } = await channel.consume(this.#names[slotQueue(at)], onMessage, { noAck: command.noAck });
          this.#consumersStarted++;
          book.consumers.push({ index, tag: consumerTag });
          return 'ok';
        }
        case 'cancel': {
          if (book.open && book.consumers.length === 0) return 'skipped';
          const [cancelled] = book.consumers.splice(command.index % Math.max(1, book.consumers.length), 1);
          await channel.cancel(cancelled?.tag ?? 'none');
          return 'ok';
        }
        case 'close':
          await channel.close();
          return 'ok';
        default: {
          const resolved = book.resolve(command.target);
          if (resolved === null && book.open) return 'skipped';
          const tag = resolved ?? 1; // a closed channel refuses whatever the tag
          const multiple = command.op !== 'reject' && (command.multiple || tag === 0);
          const message = { fields: { deliveryTag: tag } } as ConsumeMessage;
          if (command.op === 'ack') tag === 0 ? channel.ackAll() : channel.ack(message, multiple);
          else if (command.op === 'nack') tag === 0 ? channel.nackAll(command.requeue) : channel.nack(message, multiple, command.requeue);
          else channel.reject(message, command.requeue);
          book.settled(tag, multiple);
          // The channel handles its methods in order: this reply comes after the settle took effect, or the
          // channel's close comes instead.
          await channel.checkQueue(this.#names[slotQueue(at)]).catch(() => undefined);
          return slot.closedWith === null ? 'ok' : `closed: ${slot.closedWith}`;
        }
      }
    } catch (error) {
      return refusal(error);
    }
  }

  #received(slot: number, consumer: number, autoAck: boolean, message: ConsumeMessage): void {
    const { deliveryTag: tag, redelivered } = message.fields;
    const payload = message.content.toString();
    this.#slots[slot].book.received(tag, payload, autoAck);
    this.#deliveries.push({ slot, tag, consumer, payload, redelivered });
  }

  /** Polls the queues' counts until they and the number of deliveries are as expected, or the timeout passes. */
  async #settle(expected: Observation): Promise<Pick<Observation, 'ready' | 'consumers'>> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const [q, dlq] = await Promise.all([this.#control.publisher.checkQueue(this.#names.q), this.#control.observer.checkQueue(this.#names.dlq)]);
      const counts = { ready: { q: q.messageCount, dlq: dlq.messageCount }, consumers: { q: q.consumerCount, dlq: dlq.consumerCount } };
      const settled = JSON.stringify(counts) === JSON.stringify({ ready: expected.ready, consumers: expected.consumers })
        && this.#deliveries.length >= expected.deliveries.length;
      if (settled || Date.now() > deadline) return counts;
      await sleep(1);
    }
  }
}
