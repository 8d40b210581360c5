/**
 * Messages in amqplib's shapes: the properties a publish sets (as amqplib's `Args.publish` encodes them and a
 * real delivery decodes them: every property present, `undefined` when unset, `headers` always an object) and
 * the `ConsumeMessage` a consumer receives.
 */
import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import type { Delivery } from '../../world/amqp/types.ts';
import { unsupported } from './errors.ts';

/** What the embedded broker attaches to a model message: the exact bytes and the properties. */
export interface Envelope {
  /** The body as published (a private copy). */
  readonly content: Buffer;
  /** The properties a delivery carries. */
  readonly properties: MessageProperties;
}

/**
 * The envelope for publishing `content` with `options`. Options that need routing or expiry the model does not
 * have (`CC`/`BCC`, `expiration`, `mandatory`) are refused.
 * @example envelopeOf(Buffer.from('x'), { messageId: 'm1', persistent: true }).properties.deliveryMode // 2
 */
export function envelopeOf(content: Buffer, options: Options.Publish = {}): Envelope {
  for (const option of ['CC', 'BCC', 'expiration', 'mandatory'] as const) {
    if (options[option] !== undefined && options[option] !== false) throw unsupported(`the publish option '${option}'`);
  }
  const deliveryMode = options.persistent !== undefined ? (options.persistent ? 2 : 1)
    : typeof options.deliveryMode === 'number' ? options.deliveryMode : options.deliveryMode ? 2 : undefined;
  return {
    content: Buffer.from(content),
    properties: {
      contentType: options.contentType, contentEncoding: options.contentEncoding, headers: { ...options.headers },
      deliveryMode, priority: options.priority, correlationId: options.correlationId, replyTo: options.replyTo,
      expiration: undefined, messageId: options.messageId, timestamp: options.timestamp, type: options.type,
      userId: options.userId, appId: options.appId, clusterId: undefined,
    },
  };
}

/**
 * The message a consumer with tag `consumerTag` receives for `delivery` (published by the embedded broker, so
 * its envelope is an {@link Envelope}). Each delivery gets its own copy of the body and headers.
 * @example consumeMessage(delivery, 'amq.ctag-1').fields.redelivered // false
 */
export function consumeMessage(delivery: Delivery, consumerTag: string): ConsumeMessage {
  const { content, properties } = delivery.envelope as Envelope;
  return {
    content: Buffer.from(content),
    fields: { consumerTag, deliveryTag: delivery.deliveryTag, redelivered: delivery.redelivered, exchange: '', routingKey: delivery.queue },
    properties: { ...properties, headers: { ...properties.headers } },
  };
}
