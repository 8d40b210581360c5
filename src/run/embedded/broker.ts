/**
 * The embedded broker's server side: one {@link BrokerModel} (the same pure model the checker explores), with
 * RabbitMQ's round-robin choosing consumers and eager dispatch after every method, plus the queue methods in
 * amqplib's terms. It decides nothing the model does not: it translates amqplib's arguments and answers, and
 * routes each delivery to the channel object it belongs to.
 */
import type { ChannelModel, Options, Replies } from 'amqplib';
import { BrokerModel } from '../../world/amqp/broker.ts';
import { RoundRobin } from '../../world/amqp/round-robin.ts';
import type { ChannelLifecycle } from './channel-lifecycle.ts';
import { EmbeddedConnection } from './connection.ts';
import { unsupported } from './errors.ts';

/** A method's answer: its reply, or the text of the channel error RabbitMQ would close the channel with. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly text: string };

/** `assertQueue` options that need queue features the model does not have. */
const UNMODELLED_QUEUE_OPTIONS = [
  'exclusive', 'autoDelete', 'arguments', 'messageTtl', 'expires', 'maxLength', 'maxPriority', 'overflow', 'queueMode',
] as const;

/**
 * An in-process RabbitMQ: connect to it as to amqplib's `connect`.
 * @example
 * const broker = new EmbeddedBroker();
 * const connection = await broker.connect();
 * const channel = await connection.createChannel();
 * await channel.assertQueue('orders');
 */
export class EmbeddedBroker {
  /** The broker state; inspect it, never change it behind the broker's back. */
  readonly model = new BrokerModel();
  readonly #order = new RoundRobin(this.model);
  readonly #channels = new Map<string, ChannelLifecycle>();
  readonly #connections = new Set<EmbeddedConnection>();
  #opened = 0;
  #generated = 0;

  /**
   * Opens a connection, resolving on a later turn as a real connect does.
   * @example const connection = await broker.connect()
   */
  connect(): Promise<ChannelModel> {
    return new Promise((resolve) => setImmediate(() => {
      const connection = new EmbeddedConnection(this);
      this.#connections.add(connection);
      resolve(connection);
    }));
  }

  /**
   * Closes every connection from the broker side, as `rabbitmqctl close_all_connections` does: clients see
   * `'close'` with a CONNECTION_FORCED error, and what their channels held is requeued (a "connection kill").
   * @example broker.closeConnections('maintenance')
   */
  closeConnections(explanation: string): void {
    for (const connection of this.#connections) connection.brokerCloses(`CONNECTION_FORCED - ${explanation}`);
  }

  /**
   * Forgets a connection that closed.
   * @example broker.disconnected(connection)
   */
  disconnected(connection: EmbeddedConnection): void {
    this.#connections.delete(connection);
  }

  /**
   * Registers a new channel and returns its name in the model.
   * @example const name = broker.attach(channel) // 'ch-1'
   */
  attach(channel: ChannelLifecycle): string {
    const name = `ch-${++this.#opened}`;
    this.#channels.set(name, channel);
    return name;
  }

  /**
   * Closes channel `name` on the broker side (its unacked deliveries are requeued and redelivered to others).
   * @example broker.closeChannel('ch-1')
   */
  closeChannel(name: string): void {
    this.model.closeChannel(name);
    this.#channels.delete(name);
    this.dispatch();
  }

  /**
   * Makes every delivery RabbitMQ would make now and hands each to its channel. Call after every method.
   * @example broker.model.publish('q', 'x'); broker.dispatch()
   */
  dispatch(): void {
    for (const delivery of this.#order.dispatch()) this.#channels.get(delivery.channel)!.receive(delivery);
  }

  /**
   * `queue.declare`: `name` '' asks for a server-named queue (`amq.gen-<n>`). Dead-lettering is modelled to
   * a queue through the default exchange (`deadLetterExchange: ''` with a `deadLetterRoutingKey`); other
   * options with behaviour the model lacks are refused (throws).
   * @example broker.declare('orders', { durable: false }) // { ok: true, value: { queue: 'orders', messageCount: 0, consumerCount: 0 } }
   */
  declare(name: string, options: Options.AssertQueue = {}): Outcome<Replies.AssertQueue> {
    const option = UNMODELLED_QUEUE_OPTIONS.find((key) => options[key] !== undefined && options[key] !== false);
    if (option !== undefined) throw unsupported(`the queue option '${option}'`);
    const { deadLetterExchange, deadLetterRoutingKey } = options;
    if (deadLetterExchange !== undefined || deadLetterRoutingKey !== undefined) {
      if (deadLetterExchange !== '' || deadLetterRoutingKey === undefined) {
        throw unsupported('dead-lettering other than to a queue through the default exchange');
      }
    }
    const queue = name === '' ? `amq.gen-${++this.#generated}` : name;
    const declared = this.model.declareQueue(queue, { durable: options.durable ?? true, deadLetterQueue: deadLetterRoutingKey });
    return declared.ok ? this.check(queue) : { ok: false, text: declared.error };
  }

  /**
   * Passive `queue.declare` (amqplib's `checkQueue`).
   * @example broker.check('orders') // { ok: true, value: { queue: 'orders', messageCount: 1, consumerCount: 0 } }
   */
  check(name: string): Outcome<Replies.AssertQueue> {
    const result = this.model.checkQueue(name);
    if (!result.ok) return { ok: false, text: result.error };
    return { ok: true, value: { queue: name, messageCount: result.messageCount, consumerCount: result.consumerCount } };
  }

  /**
   * `queue.purge`.
   * @example broker.purge('orders') // { ok: true, value: { messageCount: 2 } }
   */
  purge(name: string): Outcome<Replies.PurgeQueue> {
    const result = this.model.purgeQueue(name);
    return result.ok ? { ok: true, value: { messageCount: result.messageCount } } : { ok: false, text: result.error };
  }

  /**
   * `queue.delete`: its consumers hear `basic.cancel` (amqplib calls their callbacks with `null`).
   * @example broker.delete('orders') // { ok: true, value: { messageCount: 0 } }
   */
  delete(name: string, options: Options.DeleteQueue = {}): Outcome<Replies.DeleteQueue> {
    const consumers = this.model.consumers().filter((c) => c.queue === name);
    const result = this.model.deleteQueue(name, options);
    if (!result.ok) return { ok: false, text: result.error };
    for (const { channel, consumerTag } of consumers) this.#channels.get(channel)?.cancelledByBroker(consumerTag);
    return { ok: true, value: { messageCount: result.messageCount } };
  }
}
