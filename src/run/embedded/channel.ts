/**
 * A channel of the embedded broker with amqplib's promise-API shape and behaviour (amqplib 2.3
 * `lib/channel_model.js` and `lib/channel.js`), built in layers: its states, closes and calls in flight
 * (channel-lifecycle.ts), consuming and acknowledgements (channel-consumers.ts), and here publishing with
 * publisher confirms, the queue methods, and the methods of what the model does not have.
 */
import type { ConfirmChannel, Options, Replies } from 'amqplib';
import { ConsumingChannel } from './channel-consumers.ts';
import type { ConfirmCallback } from './confirms.ts';
import { unsupported } from './errors.ts';
import { envelopeOf } from './message.ts';

/**
 * A channel (or, made by `createConfirmChannel`, a confirm channel) of the embedded broker.
 * @example
 * const channel = await connection.createChannel();
 * await channel.consume('orders', (m) => m && channel.ack(m));
 */
export class EmbeddedChannel extends ConsumingChannel implements ConfirmChannel {
  // --- queues ---

  /** See amqplib's `Channel.assertQueue`. */
  assertQueue(queue = '', options?: Options.AssertQueue): Promise<Replies.AssertQueue> {
    return this.rpc('QueueDeclare', () => this.host.broker.declare(queue, options));
  }

  /** See amqplib's `Channel.checkQueue`. */
  checkQueue(queue: string): Promise<Replies.AssertQueue> {
    return this.rpc('QueueDeclare', () => this.host.broker.check(queue));
  }

  /** See amqplib's `Channel.deleteQueue`. */
  deleteQueue(queue: string, options?: Options.DeleteQueue): Promise<Replies.DeleteQueue> {
    return this.rpc('QueueDelete', () => this.host.broker.delete(queue, options));
  }

  /** See amqplib's `Channel.purgeQueue`. */
  purgeQueue(queue: string): Promise<Replies.PurgeQueue> {
    return this.rpc('QueuePurge', () => this.host.broker.purge(queue));
  }

  // --- publishing ---

  /** See amqplib's `Channel.publish`; only the default exchange exists, as on a fresh RabbitMQ with no exchanges declared. */
  publish(exchange: string, routingKey: string, content: Buffer, options?: Options.Publish, callback?: ConfirmCallback): boolean {
    this.usable();
    const envelope = envelopeOf(content, options);
    const seq = this.confirms?.expect(callback);
    if (this.state === 'dying') return true;
    if (exchange !== '') {
      this.brokerCloses({ text: `NOT_FOUND - no exchange '${exchange}' in vhost '/'`, method: 'BasicPublish' });
      return true;
    }
    this.host.broker.model.publish(routingKey, content.toString(), { messageId: options?.messageId, envelope });
    if (seq !== undefined) this.host.wire.send(() => this.state !== 'closing' && this.confirms!.arrive(seq));
    this.host.broker.dispatch();
    return true;
  }

  /** See amqplib's `Channel.sendToQueue`. */
  sendToQueue(queue: string, content: Buffer, options?: Options.Publish, callback?: ConfirmCallback): boolean {
    return this.publish('', queue, content, options, callback);
  }

  /** See amqplib's `ConfirmChannel.waitForConfirms`. */
  waitForConfirms(): Promise<void> {
    return this.confirms === null ? Promise.resolve() : this.confirms.wait();
  }

  // --- what the model does not have ---

  /** Not modelled: rejects. */
  get(): Promise<never> { return Promise.reject(unsupported('basic.get')); }
  /** Not modelled: rejects. */
  recover(): Promise<never> { return Promise.reject(unsupported('basic.recover')); }
  /** Not modelled (only the default exchange exists): rejects. */
  bindQueue(): Promise<never> { return Promise.reject(unsupported('bindQueue')); }
  /** Not modelled: rejects. */
  unbindQueue(): Promise<never> { return Promise.reject(unsupported('unbindQueue')); }
  /** Not modelled: rejects. */
  assertExchange(): Promise<never> { return Promise.reject(unsupported('assertExchange')); }
  /** Not modelled: rejects. */
  checkExchange(): Promise<never> { return Promise.reject(unsupported('checkExchange')); }
  /** Not modelled: rejects. */
  deleteExchange(): Promise<never> { return Promise.reject(unsupported('deleteExchange')); }
  /** Not modelled: rejects. */
  bindExchange(): Promise<never> { return Promise.reject(unsupported('bindExchange')); }
  /** Not modelled: rejects. */
  unbindExchange(): Promise<never> { return Promise.reject(unsupported('unbindExchange')); }
}
