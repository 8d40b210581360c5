/**
 * Which real faults land where in one iteration, drawn from the seeded PRNG (src/sim/prng.ts) before the
 * iteration starts, so that a run is repeatable in intent: the same seed plans the same arrivals, the same
 * pauses before the same commands, the same kills at the same points of a worker's handling — though real
 * timing then decides what those faults meet. Points are named by what the processes do, not by wall time:
 * - a pause lands on the k-th process to enter its critical section, before its c-th command inside it;
 * - a kill or a channel close lands on the process that takes the next delivery, before its j-th command
 *   after it (so, for a worker that charges then acks, j = 2 is "after the effect, before the ack");
 * - a pause on a worker lands as a kill does, on the process that takes the next delivery, before its j-th
 *   command after it, and ahead of a kill or close due there too (so j = 2 for both is "pause after the
 *   effect, then die before the ack"); it is armed apart from kills and closes, so both can meet one delivery;
 * - a publisher kill lands on the next process about to publish, before it does;
 * - a Redis connection kill (a disconnect) and a stall of the Redis server (CLIENT PAUSE) land like pauses, on
 *   the k-th process to enter its critical section, before its c-th command there (a disconnect, before its
 *   first Redis command from there on).
 * Disconnects, stalls and then pauses on workers are drawn after everything else, and only when asked for, so
 * that a seed plans the other faults as it did before they existed.
 */
import type { Prng } from '../sim/prng.ts';

/** How many faults of each kind a run injects, and how long pauses last. */
export interface FaultOptions {
  /** Pauses inside the critical section per iteration. */
  readonly pauses: number;
  /** Pauses on a worker after it takes a delivery, per iteration. */
  readonly deliveryPauses: number;
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
  /** Redis connections killed by the server per iteration, each with a command in flight. */
  readonly disconnects: number;
  /** Stalls of the whole Redis server (CLIENT PAUSE … WRITE) per iteration. */
  readonly stalls: number;
  /** Length of each stall, model ms. */
  readonly stallMs: number;
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

/** A pause on the process that takes a delivery, before its `command`-th command after it (1-based). */
export interface PlannedDeliveryPause {
  /** Before which of its commands after the delivery (1-based). */
  readonly command: number;
}

/**
 * A disconnect: lands as a pause does; `executes` says, for the embedded backend, which has no connection to
 * race, whether the command in flight ran before the kill (on a real server the race decides).
 */
export interface PlannedDisconnect extends PlannedPause {
  /** On the embedded backend: the command ran before the kill (its reply lost), or never ran. */
  readonly executes: boolean;
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
  /** Disconnects, the i-th for the i-th process to enter its critical section (absent: none). */
  readonly disconnects?: readonly PlannedDisconnect[];
  /** Stalls of the Redis server, the i-th for the i-th process to enter its critical section (absent: none). */
  readonly stalls?: readonly PlannedPause[];
  /** Length of every stall, model ms (absent: no stalls). */
  readonly stallMs?: number;
  /** Pauses on workers, in the order they are armed (one per delivery taken after the previous one landed; absent: none). */
  readonly deliveryPauses?: readonly PlannedDeliveryPause[];
}

/**
 * Draws one iteration's plan for `processes` processes.
 * @example planFaults({ pauses: 2, deliveryPauses: 0, pauseMs: 2000, kills: 0, closes: 0, publishKills: 0, arrivalsMs: 2000, disconnects: 1, stalls: 0, stallMs: 0 }, 3, createPrng(7))
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
  const plan = { arrivals, pauses, pauseMs: options.pauseMs, afterDelivery, publishKills: options.publishKills };
  const redis = options.disconnects === 0 && options.stalls === 0 ? {} : {
    disconnects: Array.from({ length: options.disconnects }, (_, entrant) => ({ entrant, command: prng.int(1, MAX_CRITICAL_COMMAND), executes: prng.int(0, 1) === 1 })),
    stalls: Array.from({ length: options.stalls }, (_, entrant) => ({ entrant, command: prng.int(1, MAX_CRITICAL_COMMAND) })),
    stallMs: options.stallMs,
  };
  if (options.deliveryPauses === 0) return { ...plan, ...redis };
  const deliveryPauses = Array.from({ length: options.deliveryPauses }, () => ({ command: prng.int(1, MAX_COMMAND_AFTER_DELIVERY) }));
  return { ...plan, ...redis, deliveryPauses };
}
