/**
 * The embedded broker's stand-in for a connection's socket. The broker decides synchronously, as RabbitMQ does
 * when a method reaches it; what it sends back (replies, deliveries, confirms, closes) travels as frames that
 * reach the client later, in order, on a later turn of the event loop — so client code sees the same
 * asynchrony it sees with a real server (a delivery never arrives inside the call that caused it).
 */
import type { EventEmitter } from 'node:events';

/** One frame: what the client does when it arrives. */
export type Frame = () => void;

/**
 * An ordered, asynchronous stream of frames from the broker to one connection.
 * @example
 * const wire = new Wire((error) => connection.fail(error));
 * wire.send(() => resolveReply(result)); // runs on a later turn, after frames sent before it
 */
export class Wire {
  #frames: Frame[] = [];
  #scheduled = false;
  readonly #onFault: (error: unknown) => void;

  /**
   * A wire whose frames, when one throws (an event listener threw), stop and hand the error to `onFault`, as
   * amqplib turns an exception in frame handling into a connection error (a consumer callback that throws only
   * closes its channel: see `EmbeddedChannel.receive`).
   * @example new Wire((error) => connection.fail(error))
   */
  constructor(onFault: (error: unknown) => void) {
    this.#onFault = onFault;
  }

  /**
   * Sends a frame; it runs after every frame sent before it.
   * @example wire.send(() => channel.emit('close'))
   */
  send(frame: Frame): void {
    this.#frames.push(frame);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  /**
   * Drops the frames in flight: the connection is gone and they will never arrive.
   * @example wire.cut()
   */
  cut(): void {
    this.#frames.length = 0;
  }

  /** Runs the frames present now; frames they send schedule the next turn, letting timers and I/O in. */
  #flush(): void {
    this.#scheduled = false;
    const batch = this.#frames;
    this.#frames = [];
    for (const frame of batch) {
      try {
        frame();
      } catch (error) {
        this.#frames = [];
        this.#onFault(error);
        return;
      }
    }
  }
}

/**
 * Emits `event` as amqplib's `safeEmit` does: a listener that throws is reported through a `handler-error`
 * listener when there is one, and otherwise rethrown (on a wire, that fails the connection).
 * @example safeEmit(channel, 'error', err)
 */
export function safeEmit(emitter: EventEmitter, event: string, ...args: unknown[]): void {
  try {
    emitter.emit(event, ...args);
  } catch (error) {
    if (emitter.listenerCount('handler-error') === 0) throw error;
    setImmediate(() => emitter.emit('handler-error', error, event));
  }
}
