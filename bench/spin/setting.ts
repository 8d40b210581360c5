/** The tick form of inventory/fenced that both checkers explore in the SPIN comparison. */

/** Time in ticks, the lock's TTL and the stock: what the Promela model takes as macros and `check` as options. */
export interface TickSetting {
  /** One tick, ms: each `tick` action (SPIN: each step of the Time process) advances the clocks by this much. */
  readonly tickMs: number;
  /** The last instant a tick may reach, ms; past it, time passes only when no buyer can act. */
  readonly horizonMs: number;
  /** The lock's TTL, ms. */
  readonly ttlMs: number;
  /** Units in stock at the start. */
  readonly stock: number;
}

/**
 * The issue's setting: ticks of 1 ms up to 8, a TTL of 3 ticks, one unit in stock. The buyers' retry backoff
 * (100 ms, then 200 ms: models/owner-checked-lock.ts) is then longer than the horizon, so a buyer that failed to
 * take the lock sleeps past it.
 */
export const SPIN_SETTING: TickSetting = { tickMs: 1, horizonMs: 8, ttlMs: 3, stock: 1 };
