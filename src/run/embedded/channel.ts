/**
 * A channel of the embedded broker with amqplib's promise-API shape and behaviour (amqplib 2.3
 * `lib/channel_model.js` and `lib/channel.js`). Each method reaches the broker at once, in call order, as its
 * frame would reach RabbitMQ; what the broker sends back (replies, deliveries, confirms, a close) arrives later,
 * in order, over the connection's {@link Wire}. The states follow amqplib's:
 * - `open`: methods go to the broker;
 * - `dying`: the broker closed the channel (a channel error) but its close frame has not arrived: sends are
 *   silently ignored by the broker and operations wait for the close, which rejects them;
 * - `closing`: the client called `close()`; everything but the close-ok is ignored and using it throws;
 * - `closed`: using it throws `IllegalOperationError`.
 */
import { EventEmitter } from 'node:events';
import type { ConfirmChannel, Connection, ConsumeMessage, Message, Options, Replies } from 'amqplib';
import type { ChannelResult, Delivery } from '../../world/amqp/types.ts';
import type { EmbeddedBroker, Outcome } from './broker.ts';
import { type ConfirmCallback, Confirms } from './confirms.ts';
import { channelClosed, type CloseReason, handlerFailed, illegal, type MethodName, operationFailed, unsupported } from './errors.ts';
import { consumeMessage, envelopeOf } from './message.ts';
import { safeEmit, type Wire } from './wire.ts';

/** What a channel needs from its connection. */
export interface ChannelHost {
  readonly broker: EmbeddedBroker;
  readonly wire: Wire;
  readonly connection: Connection;
  /** Why the connection cannot be used (closing or closed), or `null`. */
  unusable(): Error | null;
  /** The broker closes the whole connection with a connection error such as `NOT_ALLOWED`. */
  refuse(text: string): void;
}

type State = 'open' | 'dying' | 'closing' | 'closed';

/** An operation waiting for its reply. */
interface Call {
  readonly method: MethodName;
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

/** A consumer of this channel: its tag in the model and its callback. */
interface Subscription {
  readonly modelTag: string;
  readonly callback: (message: ConsumeMessage | null) => void;
}

/**
 * A channel (or, made by `createConfirmChannel`, a confirm channel) of the embedded broker.
 * @example
 * const channel = await connection.createChannel();
 * await channel.consume('orders', (m) => m && channel.ack(m));
 */
export class EmbeddedChannel extends EventEmitter implements ConfirmChannel {
  /** The connection's server description, as amqplib exposes it. */
  readonly connection: Connection;
  readonly #host: ChannelHost;
  readonly #name: string;
  readonly #confirms: Confirms | null;
  #state: State = 'open';
  #prefetch = 0;
  #awaiting: Call[] = [];
  /** Consumers by the tag the client sees. */
  #subscriptions = new Map<string, Subscription>();
  /** The client's tag for each model consumer tag. */
  #clientTags = new Map<string, string>();

  /**
   * A new open channel of `host`'s connection; publisher confirms on when `confirms`.
   * @example new EmbeddedChannel(host, true)
   */
  constructor(host: ChannelHost, confirms: boolean) {
    super();
    this.#host = host;
    this.connection = host.connection;
    this.#name = host.broker.attach(this);
    this.#confirms = confirms ? new Confirms() : null;
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
    this.#host.wire.send(() => {
      if (this.#state !== 'open' && this.#state !== 'dying') return;
      try {
        safeEmit(this, 'delivery', message);
      } catch (thrown) {
        this.#clientCloses(() => safeEmit(this, 'error', handlerFailed(thrown)));
      }
    });
  }

  /**
   * The broker cancelled consumer `modelTag` (its queue was deleted): a `basic.cancel` goes over the wire.
   * @example channel.cancelledByBroker('ctag-1')
   */
  cancelledByBroker(modelTag: string): void {
    const consumerTag = this.#clientTags.get(modelTag)!;
    this.#host.wire.send(() => {
      if (this.#state === 'open' || this.#state === 'dying') safeEmit(this, 'cancel', { consumerTag });
    });
  }

  /**
   * The broker drops the channel because its connection is going: unacked deliveries are requeued now; the
   * client side closes when the connection's close arrives, and the broker ignores the channel until then.
   * @example channel.brokerSideClose()
   */
  brokerSideClose(): void {
    if (this.#state === 'open') this.#state = 'dying';
    this.#host.broker.closeChannel(this.#name);
  }

  /**
   * The connection is gone: the channel closes without a close handshake.
   * @example channel.connectionClosed()
   */
  connectionClosed(): void {
    if (this.#state !== 'closed') this.#toClosed();
  }

  // --- queues ---

  /** See amqplib's `Channel.assertQueue`. */
  assertQueue(queue = '', options?: Options.AssertQueue): Promise<Replies.AssertQueue> {
    return this.#rpc('QueueDeclare', () => this.#host.broker.declare(queue, options));
  }

  /** See amqplib's `Channel.checkQueue`. */
  checkQueue(queue: string): Promise<Replies.AssertQueue> {
    return this.#rpc('QueueDeclare', () => this.#host.broker.check(queue));
  }

  /** See amqplib's `Channel.deleteQueue`. */
  deleteQueue(queue: string, options?: Options.DeleteQueue): Promise<Replies.DeleteQueue> {
    return this.#rpc('QueueDelete', () => this.#host.broker.delete(queue, options));
  }

  /** See amqplib's `Channel.purgeQueue`. */
  purgeQueue(queue: string): Promise<Replies.PurgeQueue> {
    return this.#rpc('QueuePurge', () => this.#host.broker.purge(queue));
  }

  // --- consumers ---

  /** See amqplib's `Channel.prefetch`: per consumer (`global` false), for consumers started after it. */
  prefetch(count: number, global?: boolean): Promise<Replies.Empty> {
    return this.#rpc('BasicQos', () => {
      if (global) throw unsupported('global (per-channel) prefetch');
      if (!Number.isInteger(count) || count < 0 || count > 65535) throw new RangeError(`prefetch count must be an integer in 0..65535, got ${count}`);
      this.#prefetch = count;
      return { ok: true, value: {} };
    });
  }

  /** See amqplib's `Channel.consume`. A consumer tag already used on this channel is a connection error. */
  consume(queue: string, onMessage: (message: ConsumeMessage | null) => void, options: Options.Consume = {}): Promise<Replies.Consume> {
    return this.#rpc('BasicConsume', () => {
      const option = (['exclusive', 'priority', 'arguments'] as const).find((key) => options[key] !== undefined && options[key] !== false);
      if (option !== undefined) throw unsupported(`the consume option '${option}'`);
      // In use: consuming still (a cancel already sent frees it, though its reply has not arrived).
      const inUse = this.#subscriptions.get(options.consumerTag ?? '');
      if (inUse !== undefined && this.#host.broker.model.consumer(inUse.modelTag) !== undefined) {
        this.#host.refuse(`NOT_ALLOWED - attempt to reuse consumer tag '${options.consumerTag}'`);
        return null;
      }
      const started = this.#host.broker.model.consume(this.#name, queue, { prefetch: this.#prefetch, autoAck: options.noAck ?? false });
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
    return this.#rpc('BasicCancel', () => {
      if (subscription !== undefined) this.#host.broker.model.cancel(subscription.modelTag);
      return { ok: true, value: { consumerTag } };
    }, () => {
      // Deliveries sent before the cancel-ok still reach the callback; a consumer started since under the same tag stays.
      if (this.#subscriptions.get(consumerTag) === subscription) this.#subscriptions.delete(consumerTag);
    });
  }

  // --- acknowledgements ---

  /** See amqplib's `Channel.ack`. */
  ack(message: Message, allUpTo?: boolean): void {
    this.#settle('BasicAck', (model) => model.ack(this.#name, message.fields.deliveryTag, { multiple: !!allUpTo }));
  }

  /** See amqplib's `Channel.ackAll`. */
  ackAll(): void {
    this.#settle('BasicAck', (model) => model.ack(this.#name, 0, { multiple: true }));
  }

  /** See amqplib's `Channel.nack` (`requeue` defaults to true). */
  nack(message: Message, allUpTo?: boolean, requeue = true): void {
    this.#settle('BasicNack', (model) => model.nack(this.#name, message.fields.deliveryTag, { multiple: !!allUpTo, requeue }));
  }

  /** See amqplib's `Channel.nackAll` (`requeue` defaults to true). */
  nackAll(requeue = true): void {
    this.#settle('BasicNack', (model) => model.nack(this.#name, 0, { multiple: true, requeue }));
  }

  /** See amqplib's `Channel.reject` (`requeue` defaults to true). */
  reject(message: Message, requeue = true): void {
    this.#settle('BasicReject', (model) => model.reject(this.#name, message.fields.deliveryTag, { requeue }));
  }

  // --- publishing ---

  /** See amqplib's `Channel.publish`; only the default exchange exists, as on a fresh RabbitMQ with no exchanges declared. */
  publish(exchange: string, routingKey: string, content: Buffer, options?: Options.Publish, callback?: ConfirmCallback): boolean {
    this.#usable();
    const envelope = envelopeOf(content, options);
    const seq = this.#confirms?.expect(callback);
    if (this.#state === 'dying') return true;
    if (exchange !== '') {
      this.#brokerCloses({ text: `NOT_FOUND - no exchange '${exchange}' in vhost '/'`, method: 'BasicPublish' });
      return true;
    }
    this.#host.broker.model.publish(routingKey, content.toString(), { messageId: options?.messageId, envelope });
    if (seq !== undefined) this.#host.wire.send(() => this.#state !== 'closing' && this.#confirms!.arrive(seq));
    this.#host.broker.dispatch();
    return true;
  }

  /** See amqplib's `Channel.sendToQueue`. */
  sendToQueue(queue: string, content: Buffer, options?: Options.Publish, callback?: ConfirmCallback): boolean {
    return this.publish('', queue, content, options, callback);
  }

  /** See amqplib's `ConfirmChannel.waitForConfirms`. */
  waitForConfirms(): Promise<void> {
    return this.#confirms === null ? Promise.resolve() : this.#confirms.wait();
  }

  // --- closing ---

  /** See amqplib's `Channel.close`: unacked deliveries go back to their queues. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const unusable = this.#unusable();
      if (unusable !== null) return reject(unusable);
      this.#clientCloses(resolve);
    });
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

  // --- the protocol machinery ---

  #subscriber(consumerTag: string): Subscription {
    const subscription = this.#subscriptions.get(consumerTag);
    if (subscription === undefined) throw new Error(`Unknown consumer: ${consumerTag}`);
    return subscription;
  }

  /** amqplib's error for a method on a channel or connection that cannot take it, or `null`. */
  #unusable(): Error | null {
    if (this.#state === 'closed') return illegal('Channel closed');
    if (this.#state === 'closing') return illegal('Channel closing');
    return this.#host.unusable();
  }

  #usable(): void {
    const unusable = this.#unusable();
    if (unusable !== null) throw unusable;
  }

  /**
   * A method with a reply: `decide` runs on the broker now; its reply (or the channel's close) arrives later.
   * `decide` throwing refuses the call (an argument amqplib or the model cannot take); `null` means the broker
   * closed the connection instead; `arrived` runs when the reply arrives.
   */
  #rpc<T>(method: MethodName, decide: () => Outcome<T> | null, arrived?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const unusable = this.#unusable();
      if (unusable !== null) return reject(unusable);
      const call: Call = { method, resolve: resolve as (value: never) => void, reject };
      if (this.#state === 'open') {
        let outcome: Outcome<T> | null;
        try {
          outcome = decide();
        } catch (error) {
          return reject(error);
        }
        if (outcome !== null && !outcome.ok) this.#brokerCloses({ text: outcome.text, method });
        else if (outcome !== null) {
          const { value } = outcome;
          this.#host.wire.send(() => {
            if (this.#state === 'closing' || this.#state === 'closed') return;
            this.#awaiting.splice(this.#awaiting.indexOf(call), 1);
            arrived?.();
            resolve(value);
          });
        }
        this.#host.broker.dispatch();
      }
      // Waits for its reply, or for the close of a dying channel (the broker ignores methods after closing it).
      this.#awaiting.push(call);
    });
  }

  /** A method without a reply (ack, nack, reject): a channel error it causes closes the channel. */
  #settle(method: MethodName, decide: (model: EmbeddedBroker['model']) => ChannelResult): void {
    this.#usable();
    if (this.#state === 'dying') return;
    const result = decide(this.#host.broker.model);
    if (!result.ok) this.#brokerCloses({ text: result.error, method });
    else this.#host.broker.dispatch();
  }

  /**
   * A channel error: the broker sends the close, then drops the channel, redelivering its unacked messages to
   * others; the client hears of the close when its frame arrives.
   */
  #brokerCloses(reason: CloseReason): void {
    this.#state = 'dying';
    this.#host.wire.send(() => {
      if (this.#state === 'closing') return; // the client's own close is answered by its close-ok
      // The operation in flight learns why; amqplib's later queued ones only that the channel ended.
      const [inFlight, ...queued] = this.#awaiting.splice(0);
      const mine = inFlight?.method === reason.method;
      inFlight?.reject(mine ? operationFailed(reason) : channelClosed(reason));
      for (const call of queued) call.reject(new Error('Channel ended, no reply will be forthcoming'));
      try {
        safeEmit(this, 'error', channelClosed(reason));
      } finally {
        this.#toClosed();
      }
    });
    this.#host.broker.closeChannel(this.#name);
  }

  /**
   * The client closes the channel (`close()`, or amqplib's own close when a consumer threw): the broker drops it
   * now, unless it already did; `closedOk` runs when the close-ok arrives, just before the channel is closed.
   */
  #clientCloses(closedOk: () => void): void {
    const dying = this.#state === 'dying';
    this.#state = 'closing';
    if (!dying) this.#host.broker.closeChannel(this.#name);
    this.#host.wire.send(() => {
      try {
        closedOk();
      } finally {
        this.#toClosed();
      }
    });
  }

  #toClosed(): void {
    this.#state = 'closed';
    for (const call of this.#awaiting.splice(0)) call.reject(new Error('Channel ended, no reply will be forthcoming'));
    this.#confirms?.fail();
    this.#host.broker.closeChannel(this.#name);
    safeEmit(this, 'close');
  }
}
