/**
 * A node's own clock as a pure function of true (virtual) time. A clock has a fixed offset, a constant drift
 * in parts per million, and optional jumps (an NTP step): between jumps it never runs backwards, so it can be
 * inverted to answer "at what true time does this node's clock read X?" (when a TTL ends, when a sleep ends).
 */
import type { Hash64 } from './hash64.ts';

/** A clock step at a true instant: from `at` on the clock reads `by` ms more (negative: it steps back). */
export interface ClockJump {
  /** True time (ms) at which the jump happens. */
  readonly at: number;
  /** How far the reading moves, in ms. */
  readonly by: number;
}

/** How one node's clock relates to true time. */
export interface ClockSpec {
  /** Reading minus true time at true time 0, in ms. */
  readonly offset: number;
  /** Rate error in parts per million: +1000 gains 1 ms per true second. Must be above -1,000,000. */
  readonly driftPpm: number;
  /** Steps of the clock, in order of `at`. */
  readonly jumps: readonly ClockJump[];
}

/**
 * A perfect clock: reads true time.
 * @example readClock(perfectClock, 1234) // 1234
 */
export const perfectClock: ClockSpec = { offset: 0, driftPpm: 0, jumps: [] };

/**
 * The node's reading (integer ms) at true time `t`.
 * @example readClock({ offset: 5, driftPpm: 1000, jumps: [] }, 10_000) // 10_015
 */
export function readClock(clock: ClockSpec, t: number): number {
  let reading = t + clock.offset + Math.floor((t * clock.driftPpm) / 1_000_000);
  for (const jump of clock.jumps) if (jump.at <= t) reading += jump.by;
  return reading;
}

/**
 * The earliest true time `t >= from` at which the clock reads at least `reading`. Within a stretch between
 * jumps the reading is monotone, so each stretch is searched by bisection.
 * @example trueTimeWhen(perfectClock, 5000, 0) // 5000
 */
export function trueTimeWhen(clock: ClockSpec, reading: number, from: number): number {
  // A clock that only has an offset inverts directly (the common case, on the checker's hot path).
  if (clock.driftPpm === 0 && clock.jumps.length === 0) return Math.max(from, reading - clock.offset);
  const bounds = [from, ...clock.jumps.map((j) => j.at).filter((at) => at > from)];
  for (let i = 0; i < bounds.length; i++) {
    const lo = bounds[i];
    const last = i + 1 < bounds.length ? bounds[i + 1] - 1 : Number.POSITIVE_INFINITY;
    if (readClock(clock, lo) >= reading) return lo;
    const hi = Number.isFinite(last) ? last : lo + searchSpan(clock, reading - readClock(clock, lo));
    if (readClock(clock, hi) < reading) continue;
    let [below, atOrAbove] = [lo, hi];
    while (atOrAbove - below > 1) {
      const mid = below + Math.floor((atOrAbove - below) / 2);
      if (readClock(clock, mid) >= reading) atOrAbove = mid;
      else below = mid;
    }
    return atOrAbove;
  }
  throw new Error(`clock never reads ${reading}`);
}

/** The true time at which `ms` have passed on the node's clock, counting from true time `from`. */
export function afterOnClock(clock: ClockSpec, from: number, ms: number): number {
  return trueTimeWhen(clock, readClock(clock, from) + ms, from);
}

/** An upper bound on the true time a drifting clock needs to advance `delta` ms. */
function searchSpan(clock: ClockSpec, delta: number): number {
  const rate = 1 + clock.driftPpm / 1_000_000;
  return Math.ceil(delta / rate) + 2;
}

/**
 * Feeds a clock (offset, drift and every jump) into a state's fingerprint.
 * @example hashClock(hash, perfectClock)
 */
export function hashClock(into: Hash64, clock: ClockSpec): void {
  into.number(clock.offset).number(clock.driftPpm).word(clock.jumps.length);
  for (const jump of clock.jumps) into.number(jump.at).number(jump.by);
}
