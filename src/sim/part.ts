/**
 * A part of a run's state — its Redis servers, its broker, the shop's systems — shared copy-on-write between
 * the branches of a search, with its fingerprint cached. A search branches every state once per choice and
 * most choices change one part at most, so a branch shares the others with its parent, and a part is hashed
 * once per version (and instant), however many states hold it.
 */
import { Hash64 } from './hash64.ts';

/** What a part must offer: an independent copy of itself. */
export interface Cloneable<T> {
  clone(): T;
}

/**
 * How a part of type `T` feeds its canonical form at true time `now` into a hash; it returns the first instant
 * at which that form may read otherwise with nothing done to the part (`Infinity`: never).
 */
export type PartHasher<T> = (value: T, now: number, into: Hash64) => number;

const scratch = new Hash64();

/**
 * The latest instant a cached fingerprint is kept for, when it holds for good: a small integer, which V8 keeps in
 * the object rather than boxed (past it, about 12 days of virtual time, the fingerprint is just made again).
 */
const FOREVER = 0x3fffffff;

/**
 * One version of a part. While `shared` it must not change: a run that means to change it takes `forWrite()`.
 * @example let redis = new Part(RedisServers.on([perfectClock])); redis.shared = true; redis = redis.forWrite()
 */
export class Part<T extends Cloneable<T>> {
  /** Another run may hold this version: it is read-only. */
  shared = false;
  /** The instants its cached fingerprint holds for: from `#from` until just before `#until` (none at first). */
  #from = 1;
  #until = 0;
  // The fingerprint's words, signed (unboxed, as small integers are).
  #high = 0;
  #low = 0;
  /** What `derived` last made of this version, and from what. */
  #derived: { readonly derive: unknown; readonly arg: unknown; readonly value: unknown } | null = null;

  /**
   * Wraps `value`, held by one run so far.
   * @example new Part(new Effects())
   */
  constructor(readonly value: T) {}

  /**
   * The version to change: this one when no other run holds it (its cached fingerprint forgotten), else a copy.
   * @example this.broker = this.broker.forWrite(); this.broker.value.publish('q', 'm')
   */
  forWrite(): Part<T> {
    if (this.shared) return new Part(this.value.clone());
    this.#from = 1;
    this.#until = 0;
    this.#derived = null;
    return this;
  }

  /**
   * What `derive` makes of this version (with `arg`), computed once per version.
   * @example broker.derived(brokerTwinView, run).others
   */
  derived<A, R>(derive: (value: T, arg: A) => R, arg: A): R {
    const known = this.#derived;
    if (known !== null && known.derive === derive && known.arg === arg) return known.value as R;
    const value = derive(this.value, arg);
    this.#derived = { derive, arg, value };
    return value;
  }

  /**
   * Feeds this version's fingerprint at `now` into `into`: `hashOf` computes it, again only at an instant for
   * which the last one computed does not hold.
   * @example redis.hashInto(state, now, hashServers)
   */
  hashInto(into: Hash64, now: number, hashOf: PartHasher<T>): void {
    if (now < this.#from || now >= this.#until) {
      this.#until = Math.min(hashOf(this.value, now, scratch.begin()), FOREVER);
      this.#from = now;
      this.#high = scratch.high | 0;
      this.#low = scratch.low | 0;
    }
    into.word(this.#high).word(this.#low);
  }
}
