/**
 * The scheduler's choices. Every step of a run is one of these, chosen by the explorer: a process runs its
 * pending command (atomically), a process arrives (and sends its first command), a crashed service restarts,
 * the broker delivers a message to a consumer that awaits one, time passes to the next timer (or, in tick mode,
 * by one tick), or a fault lands:
 * a pause, a crash, a publish whose message is lost (or, with confirms, whose confirm is), or the broker
 * closing a consumer's channel. When clocks are explored, a run starts by choosing each node's clock.
 * Faults and time are ordinary actions, not side effects, so a run is exactly its list of actions.
 */

/** One scheduler choice. */
export type Action =
  | { readonly kind: 'step'; readonly proc: number }
  | { readonly kind: 'arrive'; readonly proc: number }
  | { readonly kind: 'wait' }
  | { readonly kind: 'tick' }
  | { readonly kind: 'deliver'; readonly proc: number }
  | { readonly kind: 'pause'; readonly proc: number; readonly ms: number }
  | { readonly kind: 'crash'; readonly proc: number }
  | { readonly kind: 'restart'; readonly proc: number }
  | { readonly kind: 'lose'; readonly proc: number }
  | { readonly kind: 'lose-confirm'; readonly proc: number }
  | { readonly kind: 'close'; readonly proc: number }
  | { readonly kind: 'jump'; readonly node: number; readonly by: number }
  | { readonly kind: 'clock'; readonly node: number; readonly offset: number; readonly driftPpm: number };

/** The fault budget of a run and the bounds on what faults may do. */
export interface FaultBudget {
  /** How many process pauses may land. */
  readonly pauses: number;
  /** How many process crashes may land. */
  readonly crashes: number;
  /** Longest pause, in ms of true time. */
  readonly maxPauseMs: number;
  /** How many publishes may lose their message, or (with confirms) their confirm. */
  readonly losses: number;
  /** How many times the broker may close a consumer's channel (the process lives on). */
  readonly closes: number;
  /** How many clock jumps (an NTP step, forward or back) may land on any node's clock. */
  readonly jumps: number;
  /** The size of a clock jump, ms: each one steps a clock by + or − this much. */
  readonly maxJumpMs: number;
  /**
   * Tick mode, when above 0: time passes in steps of this many ms, and a `tick` is a choice at every state up
   * to `horizonMs`, whether or not a process could act (as in a model checker's `Tick` process); past the
   * horizon time passes as usual. Absent or 0: time passes only when nobody can act, to the next timer.
   */
  readonly tickMs?: number;
  /** Tick mode: the last instant a tick may reach, ms of true time. */
  readonly horizonMs?: number;
}

/**
 * Whose action it is: a process index, or -1 for time passing.
 * @example laneOf({ kind: 'tick' }) // -1
 */
export function laneOf(action: Action): number {
  return 'proc' in action ? action.proc : -1;
}

/**
 * A compact, stable text form: `s0` step, `a1` arrive, `w` wait, `t` tick, `d0` deliver, `p0:6200` pause, `c2` crash,
 * `r2` restart, `l0` a publish that loses its message, `k0` one that loses its confirm, `x1` the broker closes a
 * consumer's channel, `j4:-5000` node 4's clock (processes first, then Redis servers) steps back 5 s,
 * `o2:-500:100` node 2's clock is chosen to run 500 ms behind and gain 100 ppm.
 */
export function encodeAction(action: Action): string {
  switch (action.kind) {
    case 'step': return `s${action.proc}`;
    case 'arrive': return `a${action.proc}`;
    case 'wait': return 'w';
    case 'tick': return 't';
    case 'deliver': return `d${action.proc}`;
    case 'pause': return `p${action.proc}:${action.ms}`;
    case 'crash': return `c${action.proc}`;
    case 'restart': return `r${action.proc}`;
    case 'lose': return `l${action.proc}`;
    case 'lose-confirm': return `k${action.proc}`;
    case 'close': return `x${action.proc}`;
    case 'jump': return `j${action.node}:${action.by}`;
    case 'clock': return `o${action.node}:${action.offset}:${action.driftPpm}`;
  }
}

/** Parses `encodeAction`'s form; throws on anything else. */
export function decodeAction(text: string): Action {
  const match = /^(?:([sacdrlkx])(\d+)|w|t|p(\d+):(\d+)|j(\d+):(-?\d+)|o(\d+):(-?\d+):(-?\d+))$/.exec(text);
  if (!match) throw new Error(`bad action '${text}'`);
  if (match[7] !== undefined) return { kind: 'clock', node: Number(match[7]), offset: Number(match[8]), driftPpm: Number(match[9]) };
  if (text === 'w') return { kind: 'wait' };
  if (text === 't') return { kind: 'tick' };
  if (match[5] !== undefined) return { kind: 'jump', node: Number(match[5]), by: Number(match[6]) };
  if (match[3] !== undefined) return { kind: 'pause', proc: Number(match[3]), ms: Number(match[4]) };
  const proc = Number(match[2]);
  const kinds = { s: 'step', a: 'arrive', c: 'crash', d: 'deliver', r: 'restart', l: 'lose', k: 'lose-confirm', x: 'close' } as const;
  return { kind: kinds[match[1] as keyof typeof kinds], proc };
}
