/**
 * One process incarnation's link to the broker: its own connection, a confirm channel it publishes on, and
 * a channel per subscription it consumes on (named `A/1`, `A/2`, … so a history can tell a process's
 * successive channels apart, as the broker does). It turns the machines' broker commands
 * (src/world/amqp/commands.ts) into amqplib calls and deliveries into the model's `Delivery` shape.
 */
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { isConfirmedPublish, type BrokerCommand } from '../world/amqp/commands.ts';
import type { Delivery } from '../world/amqp/types.ts';
import type { AmqpServer } from './amqp-server.ts';
import type { Namespace } from './namespace.ts';

/** What a session tells its process as it happens. */
export interface SessionListener {
  /** A message arrived on the consuming channel. */
  delivery(delivery: Delivery): void;
  /** The consuming channel closed without the process asking (the broker closed it, or a fault did). */
  channelClosed(channel: string): void;
}

/** A broker command's reply, and the consuming channel it acted on, if any. */
export interface BrokerReply {
  /** As the model answers: `'ack'`, `'nack'`, `'sent'`, a consumer tag, `'OK'`, or `{ error }`. */
  readonly reply: unknown;
  /** The consuming channel's name, for CONSUME/ACK/NACK/REJECT. */
  readonly channel?: string;
}

/** The subscription in force. */
interface Consuming {
  readonly channel: Channel;
  readonly name: string;
  open: boolean;
  /** Deliveries that came before the process heard its subscription started; `null` once it has. */
  held: Delivery[] | null;
}

/**
 * A process's broker session.
 * @example
 * const session = new BrokerSession(server, ns, () => `A/${++n}`, listener);
 * await session.exec(['AMQP.CONSUME', 'payments', 1, 0]); // { reply: 'amq.ctag-…', channel: 'A/1' }
 */
export class BrokerSession {
  private connection: Promise<ChannelModel> | null = null;
  private publishing: Promise<ConfirmChannel> | null = null;
  private consuming: Consuming | null = null;
  private dead = false;

  constructor(
    private readonly server: AmqpServer,
    private readonly ns: Namespace,
    private readonly nextChannelName: () => string,
    private readonly listener: SessionListener,
  ) {}

  /**
   * The name of the consuming channel while it is open, else `null`.
   * @example session.consumingChannel // 'A/1'
   */
  get consumingChannel(): string | null {
    return this.consuming?.open ? this.consuming.name : null;
  }

  /**
   * Runs one broker command (queue names as the machine gives them).
   * @example await session.exec(['AMQP.ACK', 1]) // { reply: 'OK', channel: 'A/1' }
   */
  async exec(cmd: BrokerCommand): Promise<BrokerReply> {
    const [name, ...args] = cmd;
    switch (name) {
      case 'AMQP.PUBLISH': return { reply: await this.publish(cmd) };
      case 'AMQP.CONSUME': return this.consume(String(args[0]), Number(args[1] ?? 0), Number(args[2]) === 1);
      case 'AMQP.ACK':
      case 'AMQP.NACK':
      case 'AMQP.REJECT': {
        const settled = this.settle(String(name), Number(args[0]), Number(args[1]) === 1);
        // amqplib hands a channel's frames to the socket later: the channel's stream says it is readable on the
        // next tick, and the connection then writes on the next turn of the event loop (setImmediate). Waiting
        // until just after that write puts the settlement on the wire before the process steps its machine:
        // with prefetch 1, the broker sends the next message only once the ack has reached it.
        await new Promise((resolve) => process.nextTick(() => setImmediate(resolve)));
        return settled;
      }
      default: return { reply: { error: `unknown broker command '${String(name)}'` } };
    }
  }

  /**
   * The process has taken in that its subscription started: deliveries flow to it from now on. The broker
   * starts delivering as soon as it registers a consumer, and a delivery can overtake the answer to
   * `basic.consume` on its way into the process; holding it until then keeps the history in the broker's order.
   * @example await session.exec(['AMQP.CONSUME', 'payments', 1, 0]); history.record(…); session.startDelivering()
   */
  startDelivering(): void {
    const held = this.consuming?.held;
    if (!this.consuming || !held) return;
    this.consuming.held = null;
    for (const delivery of held) if (this.consuming.open) this.listener.delivery(delivery);
  }

  /**
   * The fault: closes the consuming channel under the process (the broker requeues what it had not acked).
   * @example await session.closeConsumingChannel()
   */
  async closeConsumingChannel(): Promise<void> {
    const consuming = this.consuming;
    if (consuming === null || !consuming.open) return;
    consuming.open = false;
    await consuming.channel.close().catch(() => undefined);
  }

  /**
   * The process ends on its own: its channels close first, each after the frames it already sent (amqplib
   * interleaves channels' frames, so a connection closed at once could overtake an ack still buffered), then
   * the connection.
   * @example await session.close()
   */
  async close(): Promise<void> {
    if (this.consuming?.open) await this.closeConsumingChannel();
    const publishing = this.publishing;
    this.publishing = null;
    await publishing?.then((channel) => channel.close()).catch(() => undefined);
    await this.kill();
  }

  /**
   * The process dies: its connection closes, so the broker requeues every unacked delivery.
   * @example await session.kill()
   */
  async kill(): Promise<void> {
    this.dead = true;
    if (this.consuming) this.consuming.open = false;
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection).close().catch(() => undefined);
  }

  private connect(): Promise<ChannelModel> {
    if (this.dead) throw new Error('the process was killed');
    return (this.connection ??= this.server.connect());
  }

  private async publish(cmd: BrokerCommand): Promise<unknown> {
    const [, queue, payload, messageId] = cmd;
    const channel = await (this.publishing ??= this.connect().then(async (c) => {
      const ch = await c.createConfirmChannel();
      ch.on('error', () => undefined);
      return ch;
    }));
    const content = Buffer.from(String(payload));
    const options = { messageId: messageId === undefined ? undefined : String(messageId), persistent: false };
    if (!isConfirmedPublish(cmd)) {
      channel.sendToQueue(this.ns.queue(String(queue)), content, options);
      return 'sent';
    }
    return new Promise((resolve) => {
      channel.sendToQueue(this.ns.queue(String(queue)), content, options, (error: unknown) => resolve(error ? 'nack' : 'ack'));
    });
  }

  private async consume(queue: string, prefetch: number, autoAck: boolean): Promise<BrokerReply> {
    if (this.consuming?.open) await this.closeConsumingChannel();
    const channel = await (await this.connect()).createChannel();
    const consuming: Consuming = { channel, name: this.nextChannelName(), open: true, held: [] };
    this.consuming = consuming;
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (!consuming.open) return;
      consuming.open = false;
      if (!this.dead) this.listener.channelClosed(consuming.name);
    });
    try {
      await channel.prefetch(prefetch);
      const { consumerTag } = await channel.consume(this.ns.queue(queue), (message) => {
        if (message === null || !consuming.open) return;
        const delivery = toDelivery(message, consuming.name, queue);
        if (consuming.held === null) this.listener.delivery(delivery);
        else consuming.held.push(delivery);
      }, { noAck: autoAck });
      return { reply: consumerTag, channel: consuming.name };
    } catch (error) {
      return { reply: { error: (error as Error).message.split('\n')[0] }, channel: consuming.name };
    }
  }

  private settle(name: string, deliveryTag: number, requeue: boolean): BrokerReply {
    const consuming = this.consuming;
    // amqplib refuses to send on a closed channel (IllegalOperationError): the broker never hears of it.
    if (consuming === null || !consuming.open) return { reply: { error: 'channel closed' }, ...(consuming ? { channel: consuming.name } : {}) };
    // amqplib reads only the delivery tag of the message it is given.
    const message = { fields: { deliveryTag } } as Message;
    try {
      if (name === 'AMQP.ACK') consuming.channel.ack(message);
      else if (name === 'AMQP.NACK') consuming.channel.nack(message, false, requeue);
      else consuming.channel.reject(message, requeue);
      return { reply: 'OK', channel: consuming.name };
    } catch (error) {
      return { reply: { error: (error as Error).message.split('\n')[0] }, channel: consuming.name };
    }
  }
}

/** An amqplib message as the model's delivery; `queue` is the machine's name for it, not the wire's. */
function toDelivery(message: ConsumeMessage, channel: string, queue: string): Delivery {
  return {
    consumerTag: message.fields.consumerTag,
    channel,
    queue,
    deliveryTag: message.fields.deliveryTag,
    messageId: String(message.properties.messageId ?? ''),
    payload: message.content.toString(),
    redelivered: message.fields.redelivered,
  };
}
