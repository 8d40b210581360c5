/**
 * A card payment gateway as a small pure model: it records every charge it makes. A charge may carry an
 * idempotency key (Stripe's `Idempotency-Key` header): a retry with a key the gateway still remembers returns
 * the first charge instead of making another. Keys are forgotten `keyRetentionMs` after first use (Stripe keeps
 * them about 24 hours), which is the dedupe window a redelivery can outlast.
 */

/** One charge the gateway made. */
export interface Charge {
  /** The gateway's id for it, `ch_<n>` in the order charges were made. */
  readonly id: string;
  /** The order it charged. */
  readonly order: string;
}

/** The payment gateway. */
export class PaymentGateway {
  #charges: Charge[] = [];
  /** Remembered idempotency keys: the charge each one made and when (true time) it was first used. */
  #keys = new Map<string, { charge: Charge; at: number }>();
  /** How long a key is remembered, ms; `Infinity` by default. */
  keyRetentionMs = Number.POSITIVE_INFINITY;

  /**
   * Charges `order`, or — with an idempotency key still remembered — returns the charge that key made.
   * @example gateway.charge('order-1', 'order-1', 0) // { id: 'ch_1', order: 'order-1' }
   */
  charge(order: string, key: string | null, now: number): Charge {
    const known = key === null ? undefined : this.#keys.get(key);
    if (known !== undefined && now - known.at < this.keyRetentionMs) return known.charge;
    const charge = { id: `ch_${this.#charges.length + 1}`, order };
    this.#charges.push(charge);
    if (key !== null) this.#keys.set(key, { charge, at: now });
    return charge;
  }

  /**
   * An independent copy.
   * @example const branch = gateway.clone()
   */
  clone(): PaymentGateway {
    const copy = new PaymentGateway();
    copy.#charges = [...this.#charges];
    copy.#keys = new Map(this.#keys);
    copy.keyRetentionMs = this.keyRetentionMs;
    return copy;
  }

  /**
   * A canonical text of the state at true time `now` (key ages relative to it).
   * @example gateway.fingerprint(0) // '[[["ch_1","order-1"]],[]]'
   */
  fingerprint(now: number): string {
    const keys = [...this.#keys].map(([key, { charge, at }]) => [key, charge.id, Math.min(now - at, this.keyRetentionMs)]).sort();
    return JSON.stringify([this.#charges.map((c) => [c.id, c.order]), keys]);
  }

  /**
   * True while it remembers an idempotency key: its fingerprint then shows their ages, which change as time passes.
   * @example gateway.remembersKeys // false until a charge with a key
   */
  get remembersKeys(): boolean {
    return this.#keys.size > 0;
  }

  /**
   * Every charge made, in order.
   * @example gateway.charges().filter((c) => c.order === 'order-1').length
   */
  charges(): readonly Charge[] {
    return this.#charges;
  }
}
