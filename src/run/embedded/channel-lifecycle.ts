/**
 * The life of an embedded broker channel and the protocol machinery every method goes through (amqplib 2.3
 * `lib/channel_model.js` and `lib/channel.js`). Each method reaches the broker at once, in call order, as its
 * frame would reach RabbitMQ; what the broker sends back (replies, deliveries, confirms, a close) arrives later,
 * in order, over the connection's {@link Wire}. The states follow amqplib's:
 * - `open`: methods go to the broker;
 * - `dying`: the broker closed the channel (a channel error) but its close frame has not arrived: sends are
 *   silently ignored by the broker and operations wait for the close, which rejects them;
 * - `closing`: the client called `close()`; everything but the close-ok is ignored and using it throws;
 * - `closed`: using it throws `IllegalOperationError`.
 * The first layer of {@link EmbeddedChannel} (channel.ts).
 */
import { EventEmitter } from 'node:events';
import type { Connection } from 'amqplib';
import type { Delivery } from '../../world/amqp/types.ts';
import type { EmbeddedBroker, Outcome } from './broker.ts';
import { Confirms } from './confirms.ts';
import { channelClosed, type CloseReason, illegal, type MethodName, operationFailed } from './errors.ts';
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

/** Where a channel is in its life (see the header). */
type ChannelState = 'open' | 'dying' | 'closing' | 'closed';

/** An operation waiting for its reply. */
interface Call {
  readonly method: MethodName;
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A channel's states, its closes from either side, and its calls in flight. Not used alone:
 * {@link EmbeddedChannel} is the channel.
 * @example
 * const channel = await connection.createChannel();
 * await channel.close(); // unacked deliveries go back to their queues
 */
export abstract class ChannelLifecycle extends EventEmitter {
  /** The connection's server description, as amqplib exposes it. */
  readonly connection: Connection;
  /** The connection it belongs to. */
  protected readonly host: ChannelHost;
  /** Its name in the broker model. */
  protected readonly modelName: string;
  /** Its publisher confirms on a confirm channel, or `null`; closing fails the unconfirmed ones. */
  protected readonly confirms: Confirms | null;
  #state: ChannelState = 'open';
  #awaiting: Call[] = [];

  /**
   * A new open channel of `host`'s connection; publisher confirms on when `confirms`.
   * @example super(host, confirms)
   */
  constructor(host: ChannelHost, confirms: boolean) {
    super();
    this.host = host;
    this.connection = host.connection;
    this.modelName = host.broker.attach(this);
    this.confirms = confirms ? new Confirms() : null;
  }

  /**
   * Delivers `delivery`, made by the broker for one of this channel's consumers, over the wire.
   * @example channel.receive(delivery)
   */
  abstract receive(delivery: Delivery): void;

  /**
   * The broker cancelled consumer `modelTag` (its queue was deleted): a `basic.cancel` goes over the wire.
   * @example channel.cancelledByBroker('ctag-1')
   */
  abstract cancelledByBroker(modelTag: string): void;

  /**
   * The broker drops the channel because its connection is going: unacked deliveries are requeued now; the
   * client side closes when the connection's close arrives, and the broker ignores the channel until then.
   * @example channel.brokerSideClose()
   */
  brokerSideClose(): void {
    if (this.#state === 'open') this.#state = 'dying';
    this.host.broker.closeChannel(this.modelName);
  }

  /**
   * The connection is gone: the channel closes without a close handshake.
   * @example channel.connectionClosed()
   */
  connectionClosed(): void {
    if (this.#state !== 'closed') this.#toClosed();
  }

  /** See amqplib's `Channel.close`: unacked deliveries go back to their queues. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const unusable = this.#unusable();
      if (unusable !== null) return reject(unusable);
      this.clientCloses(resolve);
    });
  }

  /** Where the channel is in its life. */
  protected get state(): ChannelState {
    return this.#state;
  }

  /** Throws amqplib's error when the channel or its connection cannot take a method. */
  protected usable(): void {
    const unusable = this.#unusable();
    if (unusable !== null) throw unusable;
  }

  /**
   * A method with a reply: `decide` runs on the broker now; its reply (or the channel's close) arrives later.
   * `decide` throwing refuses the call (an argument amqplib or the model cannot take); `null` means the broker
   * closed the connection instead; `arrived` runs when the reply arrives.
   */
  protected rpc<T>(method: MethodName, decide: () => Outcome<T> | null, arrived?: () => void): Promise<T> {
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
        if (outcome !== null && !outcome.ok) this.brokerCloses({ text: outcome.text, method });
        else if (outcome !== null) {
          const { value } = outcome;
          this.host.wire.send(() => {
            if (this.#state === 'closing' || this.#state === 'closed') return;
            this.#awaiting.splice(this.#awaiting.indexOf(call), 1);
            arrived?.();
            resolve(value);
          });
        }
        this.host.broker.dispatch();
      }
      // Waits for its reply, or for the close of a dying channel (the broker ignores methods after closing it).
      this.#awaiting.push(call);
    });
  }

  /**
   * A channel error: the broker sends the close, then drops the channel, redelivering its unacked messages to
   * others; the client hears of the close when its frame arrives.
   */
  protected brokerCloses(reason: CloseReason): void {
    this.#state = 'dying';
    this.host.wire.send(() => {
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
    this.host.broker.closeChannel(this.modelName);
  }

  /**
   * The client closes the channel (`close()`, or amqplib's own close when a consumer threw): the broker drops it
   * now, unless it already did; `closedOk` runs when the close-ok arrives, just before the channel is closed.
   */
  protected clientCloses(closedOk: () => void): void {
    const dying = this.#state === 'dying';
    this.#state = 'closing';
    if (!dying) this.host.broker.closeChannel(this.modelName);
    this.host.wire.send(() => {
      try {
        closedOk();
      } finally {
        this.#toClosed();
      }
    });
  }

  /** amqplib's error for a method on a channel or connection that cannot take it, or `null`. */
  #unusable(): Error | null {
    if (this.#state === 'closed') return illegal('Channel closed');
    if (this.#state === 'closing') return illegal('Channel closing');
    return this.host.unusable();
  }

  #toClosed(): void {
    this.#state = 'closed';
    for (const call of this.#awaiting.splice(0)) call.reject(new Error('Channel ended, no reply will be forthcoming'));
    this.confirms?.fail();
    this.host.broker.closeChannel(this.modelName);
    safeEmit(this, 'close');
  }
}
