/**
 * Consuming on an embedded broker channel, in amqplib's terms: `prefetch`, `consume` and `cancel`, the
 * deliveries and broker cancels that reach consumer callbacks over the wire, and the settling methods (`ack`,
 * `nack`, `reject` and their `All` forms), which have no reply: a channel error one causes closes the channel.
 * The second layer of {@link EmbeddedChannel} (channel.ts), over channel-lifecycle.ts.
 */
import type { ConsumeMessage, Message, Options, Replies } from 'amqplib';
import type { ChannelResult, Delivery } from '../../world/amqp/types.ts';
import type { EmbeddedBroker } from './broker.ts';
import { ChannelLifecycle, type ChannelHost } from './channel-lifecycle.ts';
import { handlerFailed, type MethodName, unsupported } from './errors.ts';
import { consumeMessage } from './message.ts';
import { safeEmit } from './wire.ts';

/** A consumer of this channel: its tag in the model and its callback. */
interface Subscription {
  readonly modelTag: string;
  readonly callback: (message: ConsumeMessage | null) => void;
}

/**
 * A channel's consumers and acknowledgements. Not used alone: {@link EmbeddedChannel} is the channel.
 * @example
 * await channel.prefetch(1);
 * await channel.consume('orders', (m) => m && channel.ack(m));
 */
export abstract class ConsumingChannel extends ChannelLifecycle {
  #prefetch = 0;
  /** Consumers by the tag the client sees. */
  #subscriptions = new Map<string, Subscription>();
  /** The client's tag for each model consumer tag. */
  #clientTags = new Map<string, string>();

  /**
   * A new open channel of `host`'s connection; publisher confirms on when `confirms`.
   * @example super(host, confirms)
   */
  constructor(host: ChannelHost, confirms: boolean) {
    super(host, confirms);
    // amqplib dispatches deliveries and cancels to consumers from these events.
    this.on('delivery', (message: ConsumeMessage) => this.#subscriber(message.fields.consumerTag).callback(message));
    this.on('cancel', ({ consumerTag }: { consumerTag: string }) => {
      this.#subscriber(consumerTag).callback(null);
      this.#subscriptions.delete(consumerTag);
    });
  }

  /**
   * Delivers `delivery` (made by the broker for one of this channel's consumers) over the wire. A consumer
   * callback that throws closes the channel, as amqplib does (the broker then requeues what it held).
   * @example channel.receive(delivery)
   */
  receive(delivery: Delivery): void {
    const message = consumeMessage(delivery, this.#clientTags.get(delivery.consumerTag)!);
    this.host.wire.send(() => {
      if (this.state !== 'open' && this.state !== 'dying') return;
      try {
        safeEmit(this, 'delivery', message);
      } catch (thrown) {
        this.clientCloses(() => safeEmit(this, 'error', handlerFailed(thrown)));
      }
    });
  }

  /**
   * The broker cancelled consumer `modelTag` (its queue was deleted): a `basic.cancel` goes over the wire.
   * @example channel.cancelledByBroker('ctag-1')
   */
  cancelledByBroker(modelTag: string): void {
    const consumerTag = this.#clientTags.get(modelTag)!;
    this.host.wire.send(() => {
      if (this.state === 'open' || this.state === 'dying') safeEmit(this, 'cancel', { consumerTag });
    });
  }

  /** See amqplib's `Channel.prefetch`: per consumer (`global` false), for consumers started after it. */
  prefetch(count: number, global?: boolean): Promise<Replies.Empty> {
    return this.rpc('BasicQos', () => {
      if (global) throw unsupported('global (per-channel) prefetch');
      if (!Number.isInteger(count) || count < 0 || count > 65535) throw new RangeError(`prefetch count must be an integer in 0..65535, got ${count}`);
      this.#prefetch = count;
      return { ok: true, value: {} };
    });
  }

  /** See amqplib's `Channel.consume`. A consumer tag already used on this channel is a connection error. */
  consume(queue: string, onMessage: (message: ConsumeMessage | null) => void, options: Options.Consume = {}): Promise<Replies.Consume> {
    return this.rpc('BasicConsume', () => {
      const option = (['exclusive', 'priority', 'arguments'] as const).find((key) => options[key] !== undefined && options[key] !== false);
      if (option !== undefined) throw unsupported(`the consume option '${option}'`);
      // In use: consuming still (a cancel already sent frees it, though its reply has not arrived).
      const inUse = this.#subscriptions.get(options.consumerTag ?? '');
      if (inUse !== undefined && this.host.broker.model.consumer(inUse.modelTag) !== undefined) {
        this.host.refuse(`NOT_ALLOWED - attempt to reuse consumer tag '${options.consumerTag}'`);
        return null;
      }
      const started = this.host.broker.model.consume(this.modelName, queue, { prefetch: this.#prefetch, autoAck: options.noAck ?? false });
      if (!started.ok) return { ok: false, text: started.error };
      const consumerTag = options.consumerTag || `amq.${started.consumerTag}`;
      this.#subscriptions.set(consumerTag, { modelTag: started.consumerTag, callback: onMessage });
      this.#clientTags.set(started.consumerTag, consumerTag);
      return { ok: true, value: { consumerTag } };
    });
  }

  /** See amqplib's `Channel.cancel`; an unknown tag is answered all the same, as RabbitMQ does. */
  cancel(consumerTag: string): Promise<Replies.Cancel> {
    const subscription = this.#subscriptions.get(consumerTag);
    return this.rpc('BasicCancel', () => {
      if (subscription !== undefined) this.host.broker.model.cancel(subscription.modelTag);
      return { ok: true, value: { consumerTag } };
    }, () => {
      // Deliveries sent before the cancel-ok still reach the callback; a consumer started since under the same tag stays.
      if (this.#subscriptions.get(consumerTag) === subscription) this.#subscriptions.delete(consumerTag);
    });
  }

  /** See amqplib's `Channel.ack`. */
  ack(message: Message, allUpTo?: boolean): void {
    this.#settle('BasicAck', (model) => model.ack(this.modelName, message.fields.deliveryTag, { multiple: !!allUpTo }));
  }

  /** See amqplib's `Channel.ackAll`. */
  ackAll(): void {
    this.#settle('BasicAck', (model) => model.ack(this.modelName, 0, { multiple: true }));
  }

  /** See amqplib's `Channel.nack` (`requeue` defaults to true). */
  nack(message: Message, allUpTo?: boolean, requeue = true): void {
    this.#settle('BasicNack', (model) => model.nack(this.modelName, message.fields.deliveryTag, { multiple: !!allUpTo, requeue }));
  }

  /** See amqplib's `Channel.nackAll` (`requeue` defaults to true). */
  nackAll(requeue = true): void {
    this.#settle('BasicNack', (model) => model.nack(this.modelName, 0, { multiple: true, requeue }));
  }

  /** See amqplib's `Channel.reject` (`requeue` defaults to true). */
  reject(message: Message, requeue = true): void {
    this.#settle('BasicReject', (model) => model.reject(this.modelName, message.fields.deliveryTag, { requeue }));
  }

  #subscriber(consumerTag: string): Subscription {
    const subscription = this.#subscriptions.get(consumerTag);
    if (subscription === undefined) throw new Error(`Unknown consumer: ${consumerTag}`);
    return subscription;
  }

  /** A method without a reply (ack, nack, reject): a channel error it causes closes the channel. */
  #settle(method: MethodName, decide: (model: EmbeddedBroker['model']) => ChannelResult): void {
    this.usable();
    if (this.state === 'dying') return;
    const result = decide(this.host.broker.model);
    if (!result.ok) this.brokerCloses({ text: result.error, method });
    else this.host.broker.dispatch();
  }
}
