/**
 * The embedded RabbitMQ: `connect` has amqplib's signature, so code that takes amqplib's `connect` (or a
 * `ChannelModel`) runs unchanged with no server. Connections to the same URL reach the same in-process broker,
 * as connections to one address reach one server; the broker lives as long as the process.
 *
 * What it models is the broker model's (src/world/amqp): queues behind the default exchange, consumers with
 * per-consumer prefetch, acks, nacks, rejects, requeue and redelivery, dead-lettering to a queue, publisher
 * confirms, RabbitMQ's channel and connection errors, and an operator closing connections
 * (`EmbeddedBroker.closeConnections`, for a "connection kill" fault). What it does not model (other exchanges,
 * `basic.get`, global prefetch, TTLs, exclusive or auto-delete queues) is refused with an error rather than
 * ignored; dead-lettered messages lack RabbitMQ's `x-death` headers. test/amqp-fidelity.test.ts and
 * test/amqp-conformance.test.ts check it against a real RabbitMQ.
 */
import type { ChannelModel } from 'amqplib';
import { EmbeddedBroker } from './broker.ts';

export { EmbeddedBroker } from './broker.ts';

/** The URL `connect()` uses when given none. */
export const EMBEDDED_URL = 'amqp://embedded';

const brokers = new Map<string, EmbeddedBroker>();

/**
 * The in-process broker that `url` names, created on first use.
 * @example brokerAt('amqp://embedded').model.snapshot().queues
 */
export function brokerAt(url: string = EMBEDDED_URL): EmbeddedBroker {
  let broker = brokers.get(url);
  if (broker === undefined) brokers.set(url, (broker = new EmbeddedBroker()));
  return broker;
}

/**
 * Connects to the in-process broker that `url` names, as amqplib's `connect(url)` connects to a server.
 * @example
 * const connection = await connect();
 * const channel = await connection.createConfirmChannel();
 * await channel.assertQueue('orders', { durable: false });
 * channel.sendToQueue('orders', Buffer.from('order 1'));
 * await channel.waitForConfirms();
 */
export function connect(url: string = EMBEDDED_URL): Promise<ChannelModel> {
  return brokerAt(url).connect();
}
