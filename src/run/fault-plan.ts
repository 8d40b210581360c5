/**
 * Which real faults land where in one iteration, drawn from the seeded PRNG (src/sim/prng.ts) before the
 * iteration starts, so that a run is repeatable in intent: the same seed plans the same arrivals, the same
 * pauses before the same commands, the same kills at the same points of a worker's handling — though real
 * timing then decides what those faults meet. Points are named by what the processes do, not by wall time:
 * - a pause lands on the k-th process to enter its critical section, before its c-th command inside it;
 * - a kill or a channel close lands on the process that takes the next delivery, before its j-th command
 *   after it (so, for a worker that charges then acks, j = 2 is "after the effect, before the ack");
 * - a publisher kill lands on the next process about to publish, before it does.
 */
import type { Prng } from '../sim/prng.ts';

/** How many faults of each kind a run injects, and how long pauses last. */
export interface FaultOptions {
  /** Pauses inside the critical section per iteration. */
  readonly pauses: number;
  /** Length of each pause, model ms. */
  readonly pauseMs: number;
  /** Kills after a delivery per iteration. */
  readonly kills: number;
  /** Channel closes after a delivery per iteration. */
  readonly closes: number;
  /** Kills before a publish per iteration. */
  readonly publishKills: number;
  /** Processes arrive at instants drawn from [0, arrivalsMs] model ms. */
  readonly arrivalsMs: number;
}

/** The most commands into a critical section a pause may land before (a buyer's read, write, record). */
export const MAX_CRITICAL_COMMAND = 3;
/** The most commands after a delivery a kill or close may land before (work, then settle). */
export const MAX_COMMAND_AFTER_DELIVERY = 2;

/** A pause: on the `entrant`-th process to enter its critical section (0-based), before its `command`-th command there (1-based). */
export interface PlannedPause {
  /** Which process to enter its critical section, in order of entering (0-based). */
  readonly entrant: number;
  /** Before which of its commands there (1-based). */
  readonly command: number;
}

/** A kill or channel close after a delivery, before the taker's `command`-th command after it (1-based). */
export interface PlannedAfterDelivery {
  /** Kill the process, or close its consuming channel. */
  readonly kind: 'kill' | 'close';
  /** Before which of its commands after the delivery (1-based). */
  readonly command: number;
}

/** One iteration's faults. */
export interface FaultPlan {
  /** Arrival instant of each process, model ms. */
  readonly arrivals: readonly number[];
  /** Pauses, the i-th for the i-th process to enter its critical section. */
  readonly pauses: readonly PlannedPause[];
  /** Length of every pause, model ms. */
  readonly pauseMs: number;
  /** Kills and closes, in the order they land (one per delivery taken after the previous one landed). */
  readonly afterDelivery: readonly PlannedAfterDelivery[];
  /** Publishers to kill before they publish. */
  readonly publishKills: number;
}

/**
 * Draws one iteration's plan for `processes` processes.
 * @example planFaults({ pauses: 2, pauseMs: 2000, kills: 0, closes: 0, publishKills: 0, arrivalsMs: 2000 }, 3, createPrng(7))
 */
export function planFaults(options: FaultOptions, processes: number, prng: Prng): FaultPlan {
  const arrivals = Array.from({ length: processes }, () => prng.int(0, Math.max(0, Math.round(options.arrivalsMs))));
  const pauses = Array.from({ length: options.pauses }, (_, entrant) => ({ entrant, command: prng.int(1, MAX_CRITICAL_COMMAND) }));
  const kinds: PlannedAfterDelivery['kind'][] = [...Array<'kill'>(options.kills).fill('kill'), ...Array<'close'>(options.closes).fill('close')];
  // A seeded shuffle (Fisher–Yates) of kills and closes, each with its landing point.
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const afterDelivery = kinds.map((kind) => ({ kind, command: prng.int(1, MAX_COMMAND_AFTER_DELIVERY) }));
  return { arrivals, pauses, pauseMs: options.pauseMs, afterDelivery, publishKills: options.publishKills };
}
