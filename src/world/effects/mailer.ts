/**
 * The confirmation sender (an e-mail provider) as a small pure model: it records every message it sends. Like
 * the payment gateway it may be given an idempotency key, and then sends once per key.
 */

/** The e-mail sender. */
export class Mailer {
  #sent: string[] = [];
  #keys = new Set<string>();

  /**
   * Sends the confirmation of `order`; with a key already used, sends nothing. Returns whether it sent.
   * @example mailer.send('order-1', 'order-1') // true
   */
  send(order: string, key: string | null): boolean {
    if (key !== null && this.#keys.has(key)) return false;
    if (key !== null) this.#keys.add(key);
    this.#sent.push(order);
    return true;
  }

  /**
   * An independent copy.
   * @example const branch = mailer.clone()
   */
  clone(): Mailer {
    const copy = new Mailer();
    copy.#sent = [...this.#sent];
    copy.#keys = new Set(this.#keys);
    return copy;
  }

  /**
   * A canonical text of the state.
   * @example mailer.fingerprint() // '[["order-1"],["order-1"]]'
   */
  fingerprint(): string {
    return JSON.stringify([this.#sent, [...this.#keys].sort()]);
  }

  /**
   * How many confirmations `order` got.
   * @example mailer.sentFor('order-1') // 1
   */
  sentFor(order: string): number {
    let count = 0;
    for (const sent of this.#sent) if (sent === order) count++;
    return count;
  }
}
