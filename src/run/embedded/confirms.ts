/**
 * Publisher confirms on a confirm channel, as amqplib keeps them: each publish, numbered from 1 on its channel,
 * waits for the confirm of its number (RabbitMQ may confirm out of publish order: an unroutable message at
 * once, a routed one once its queue has it; the embedded broker confirms in order); a channel that closes
 * first fails every waiting publish with `channel closed`, and every later `waitForConfirms` too.
 */

import type { Replies } from 'amqplib';

/** A publish's confirm callback (amqplib's signature): called with `null` for an ack, an Error otherwise. */
export type ConfirmCallback = (error: any, ok: Replies.Empty) => void;

interface Pending {
  readonly callback?: ConfirmCallback;
  /** `waitForConfirms` calls waiting for this one. */
  readonly waiters: ((error: Error | null) => void)[];
}

/**
 * The unconfirmed publishes of one channel.
 * @example
 * const confirms = new Confirms();
 * const seq = confirms.expect((err) => console.log(err ?? 'acked'));
 * confirms.arrive(seq); // logs 'acked'
 */
export class Confirms {
  /** By publish number, in publish order. */
  #pending = new Map<number, Pending>();
  #published = 0;
  #lost = false;

  /**
   * Records a publish whose confirm is on its way and returns its number.
   * @example const seq = confirms.expect(callback)
   */
  expect(callback?: ConfirmCallback): number {
    this.#pending.set(++this.#published, { callback, waiters: [] });
    return this.#published;
  }

  /**
   * The broker acked publish `seq`.
   * @example confirms.arrive(1)
   */
  arrive(seq: number): void {
    const confirmed = this.#pending.get(seq);
    this.#pending.delete(seq);
    if (confirmed !== undefined) settle(confirmed, null);
  }

  /**
   * The channel closed: every unconfirmed publish fails, and so does every later wait.
   * @example confirms.fail()
   */
  fail(): void {
    const lost = [...this.#pending.values()];
    this.#pending.clear();
    this.#lost ||= lost.length > 0;
    for (const pending of lost) settle(pending, new Error('channel closed'));
  }

  /**
   * Resolves once every publish made so far is confirmed; rejects if one fails.
   * @example await confirms.wait()
   */
  wait(): Promise<void> {
    if (this.#lost) return Promise.reject(new Error('channel closed'));
    // amqplib resolves with its Promise.all's array (of undefined), whatever the declared type says.
    return Promise.all([...this.#pending.values()].map((pending) => new Promise<void>((resolve, reject) => {
      pending.waiters.push((error) => (error === null ? resolve() : reject(error)));
    }))) as Promise<unknown> as Promise<void>;
  }
}

function settle(pending: Pending, error: Error | null): void {
  // amqplib passes no second argument.
  (pending.callback as ((error: Error | null) => void) | undefined)?.(error);
  for (const waiter of pending.waiters) waiter(error);
}
