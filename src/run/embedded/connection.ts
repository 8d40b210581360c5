/**
 * A connection to the embedded broker with amqplib's `ChannelModel` shape and behaviour (amqplib 2.3
 * `lib/connection.js`): `close()` closes its channels (their unacked deliveries are requeued); a connection
 * error from the broker, or an exception thrown by an event listener while a frame is handled, emits `'error'`
 * then `'close'` with that error, as a real socket error does — and the broker, seeing the connection gone,
 * requeues what its channels held.
 */
import { EventEmitter } from 'node:events';
import type { ChannelModel, Connection } from 'amqplib';
import type { EmbeddedBroker } from './broker.ts';
import type { ChannelHost } from './channel-lifecycle.ts';
import { EmbeddedChannel } from './channel.ts';
import { connectionClosed, illegal, unsupported } from './errors.ts';
import { safeEmit, Wire } from './wire.ts';

/** The reply code of CONNECTION_FORCED, the one connection close amqplib does not report as an error. */
const FORCED = 320;

/** What `connection.serverProperties` says about the embedded broker. */
const SERVER: Connection['serverProperties'] = {
  host: 'embedded', product: 'interleave embedded broker', version: '0.1.0', platform: `Node.js ${process.version}`,
  information: 'an in-process broker over the interleave broker model (src/world/amqp)',
};

/**
 * A connection; get one from {@link EmbeddedBroker.connect} or `connect()` in amqp.ts.
 * @example
 * const connection = await broker.connect();
 * connection.on('error', (err) => console.error(err));
 */
export class EmbeddedConnection extends EventEmitter implements ChannelModel {
  /** The server description, as amqplib exposes it. */
  readonly connection: Connection = { serverProperties: SERVER };
  readonly #broker: EmbeddedBroker;
  readonly #wire: Wire;
  readonly #host: ChannelHost;
  /** `dying`: the broker closed the connection, and its close is on the wire. */
  #state: 'open' | 'dying' | 'closing' | 'closed' = 'open';
  /** Why it closed, in amqplib's words, for later misuse. */
  #closedAs = '';
  #channels = new Set<EmbeddedChannel>();
  /** `createChannel` calls waiting for their reply. */
  #opening = new Set<(error: Error) => void>();

  /**
   * A connection to `broker`.
   * @example new EmbeddedConnection(broker)
   */
  constructor(broker: EmbeddedBroker) {
    super();
    this.#broker = broker;
    this.#wire = new Wire((error) => this.#fail(error as Error));
    this.#host = {
      broker, wire: this.#wire, connection: this.connection,
      unusable: () => this.#unusable(),
      refuse: (text) => this.brokerCloses(text),
    };
  }

  /**
   * The broker closes the connection with a connection error (`text` is its reply text, such as
   * `NOT_ALLOWED - …`, or `CONNECTION_FORCED - …` when an operator closes it). The broker drops the channels now,
   * requeueing what they held; the client hears of it when the close arrives: `'error'` (except for
   * CONNECTION_FORCED, which amqplib does not count as an error), then `'close'` with the error.
   * @example connection.brokerCloses('CONNECTION_FORCED - maintenance')
   */
  brokerCloses(text: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'dying';
    this.#releaseOnBroker();
    const error = connectionClosed(text);
    this.#wire.send(() => {
      if (this.#state === 'dying') this.#fail(error, error.code !== FORCED);
    });
  }

  /** See amqplib's `ChannelModel.createChannel`. */
  createChannel(): Promise<EmbeddedChannel> {
    return this.#open(false);
  }

  /** See amqplib's `ChannelModel.createConfirmChannel`. */
  createConfirmChannel(): Promise<EmbeddedChannel> {
    return this.#open(true);
  }

  /** See amqplib's `ChannelModel.close`. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const unusable = this.#unusable();
      if (unusable !== null) return reject(unusable);
      this.#state = 'closing';
      this.#releaseOnBroker();
      this.#wire.send(() => {
        resolve();
        this.#toClosed('Connection closed (by client)');
      });
    });
  }

  /** Not modelled: rejects. */
  updateSecret(): Promise<never> {
    return Promise.reject(unsupported('updateSecret'));
  }

  #open(confirms: boolean): Promise<EmbeddedChannel> {
    return new Promise((resolve, reject) => {
      const unusable = this.#unusable();
      if (unusable !== null) return reject(unusable);
      const channel = new EmbeddedChannel(this.#host, confirms);
      this.#channels.add(channel);
      if (this.#state === 'dying') channel.brokerSideClose(); // the broker ignores it; the close rejects it
      this.#opening.add(reject);
      this.#wire.send(() => {
        this.#opening.delete(reject);
        resolve(channel);
      });
    });
  }

  /** amqplib's refusal to use a closing or closed connection; `null` while dying, which the client cannot know. */
  #unusable(): Error | null {
    if (this.#state === 'closed') return illegal(this.#closedAs);
    return this.#state === 'closing' ? illegal('Connection closing') : null;
  }

  /** The broker forgets the connection's channels: their unacked deliveries are requeued. */
  #releaseOnBroker(): void {
    for (const channel of this.#channels) channel.brokerSideClose();
  }

  /** A socket error or a connection error from the broker: `'error'` (if `emitError`), then everything closes. */
  #fail(error: Error, emitError = true): void {
    if (this.#state === 'closed') return;
    this.#releaseOnBroker();
    this.#wire.cut();
    try {
      if (emitError) safeEmit(this, 'error', error);
    } finally {
      this.#toClosed(`Connection closed (${error.toString()})`, error);
    }
  }

  #toClosed(closedAs: string, error?: Error): void {
    this.#state = 'closed';
    this.#closedAs = closedAs;
    this.#broker.disconnected(this);
    for (const reject of this.#opening) reject(new Error('Channel ended, no reply will be forthcoming'));
    this.#opening.clear();
    for (const channel of this.#channels) channel.connectionClosed();
    this.#channels.clear();
    safeEmit(this, 'close', ...(error === undefined ? [] : [error]));
  }
}
