/**
 * The one seeded source of randomness outside fast-check's own: process tokens and derived seeds come from
 * here, never from an unseeded source, so the same seed gives the same bytes.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded stream of integers (xoroshiro128+ from pure-rand). */
export interface Prng {
  /** A uniform integer in [min, max]. */
  int(min: number, max: number): number;
}

/**
 * A PRNG for `seed`; the same seed yields the same stream.
 * @example createPrng(7).int(1, 6) // always the same face for seed 7
 */
export function createPrng(seed: number): Prng {
  return new SeededPrng(seed);
}

class SeededPrng implements Prng {
  private readonly rng;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  int(min: number, max: number): number {
    // A modulo of 32 random bits: its bias (at most range / 2^32) is irrelevant to scheduling, and it is the
    // checker's most frequent call, where pure-rand's exact rejection sampling costs twice as much.
    return min + ((this.rng.next() >>> 0) % (max - min + 1));
  }
}

/** A short random-looking token (4 hex digits) prefixed by `name`, as a lock client would generate. */
export function tokenFor(prng: Prng, name: string): string {
  return `${name}-${prng.int(0, 0xffff).toString(16).padStart(4, '0')}`;
}
