/**
 * Replay tokens: everything needed to reproduce a counterexample exactly — scenario, variant, parameters, seed
 * (it fixes the tokens), fault budget, clocks, the violated property and the action list — in one opaque,
 * copy-pasteable string: `il1.` followed by base64url JSON.
 */
import { decodeAction, encodeAction, type Action, type FaultBudget } from '../sim/actions.ts';
import type { ClockSpec } from '../sim/clock.ts';
import type { ClockPlan } from '../sim/run-setup.ts';
import type { Params } from '../scenario.ts';
import { UsageError } from './prepare.ts';

/** The content of a replay token. */
export interface Replayable {
  /** Scenario name. */
  readonly scenario: string;
  /** Variant name. */
  readonly variant: string;
  /** Parameter values. */
  readonly params: Params;
  /** Seed the instance was built from. */
  readonly seed: number;
  /** Fault budget the run had. */
  readonly faults: FaultBudget;
  /** Every node's clock. */
  readonly clocks: ClockPlan;
  /** Name of the violated property. */
  readonly property: string;
  /** The actions of the counterexample. */
  readonly actions: readonly Action[];
  /** For a run that never ends: the action from which it repeats for ever (see `lassoCounterexample`). */
  readonly loopsFrom?: number;
}

const PREFIX = 'il1.';

type ClockTuple = [number, number, [number, number][]];
const clockToTuple = (c: ClockSpec): ClockTuple => [c.offset, c.driftPpm, c.jumps.map((j) => [j.at, j.by])];
const clockFromTuple = ([offset, driftPpm, jumps]: ClockTuple): ClockSpec => ({ offset, driftPpm, jumps: jumps.map(([at, by]) => ({ at, by })) });

/**
 * Encodes a counterexample as a replay token.
 * @example encodeToken(replayable) // 'il1.eyJzIjoiaW52ZW50b3J5Ii…'
 */
export function encodeToken(r: Replayable): string {
  const body = {
    s: r.scenario, v: r.variant, p: r.params, seed: r.seed,
    f: [r.faults.pauses, r.faults.crashes, r.faults.maxPauseMs, r.faults.losses, r.faults.closes, r.faults.jumps, r.faults.maxJumpMs],
    c: [...r.clocks.processes, ...r.clocks.servers].map(clockToTuple),
    ...(r.clocks.servers.length === 1 ? {} : { n: r.clocks.servers.length }),
    ...(r.faults.tickMs ? { t: [r.faults.tickMs, r.faults.horizonMs ?? 0] } : {}),
    prop: r.property,
    a: r.actions.map(encodeAction).join(' '),
    ...(r.loopsFrom === undefined ? {} : { lp: r.loopsFrom }),
  };
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Decodes a replay token; a malformed one is a `UsageError`. */
export function decodeToken(token: string): Replayable {
  try {
    if (!token.startsWith(PREFIX)) throw new Error('no il1. prefix');
    const b = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
    const clocks = (b.c as ClockTuple[]).map(clockFromTuple);
    return {
      scenario: String(b.s), variant: String(b.v), params: b.p, seed: Number(b.seed),
      faults: { pauses: b.f[0], crashes: b.f[1], maxPauseMs: b.f[2], losses: b.f[3] ?? 0, closes: b.f[4] ?? 0, jumps: b.f[5] ?? 0, maxJumpMs: b.f[6] ?? 0,
        ...(b.t ? { tickMs: b.t[0], horizonMs: b.t[1] } : {}) },
      clocks: { processes: clocks.slice(0, clocks.length - (b.n ?? 1)), servers: clocks.slice(clocks.length - (b.n ?? 1)) },
      property: String(b.prop),
      actions: b.a === '' ? [] : String(b.a).split(' ').map(decodeAction),
      ...(b.lp === undefined ? {} : { loopsFrom: Number(b.lp) }),
    };
  } catch {
    throw new UsageError("not a valid replay token (copy it whole from a check's 'replay:' line; it starts with il1.)");
  }
}
