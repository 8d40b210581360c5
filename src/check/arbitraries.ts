/**
 * fast-check arbitraries for what the explorer varies per run: the schedule (a list of integers decoded into
 * actions, see `decoding`) and the clock plan (each node's offset and drift). Exported for fast-check users.
 */
import fc from 'fast-check';
import { perfectClock, type ClockSpec } from '../sim/clock.ts';
import type { ClockPlan } from '../sim/run-setup.ts';

/** Bounds on clock error. */
export interface SkewBounds {
  /** Largest |offset| of a node's clock from true time, in ms. */
  readonly maxSkewMs: number;
  /** Largest |drift| of a node's clock, in parts per million. */
  readonly maxDriftPpm: number;
}

/**
 * A schedule: the seed of one run's stream of scheduler decisions (see `decoding`). Every decision of the run
 * is random, not just the first few; counterexamples are shrunk by the checker's own minimiser, so fast-check
 * does not shrink this value.
 * @example fc.sample(scheduleArbitrary(), 1) // e.g. [1283401]
 */
export function scheduleArbitrary(): fc.Arbitrary<number> {
  return fc.noShrink(fc.integer({ min: 0, max: 0x7fffffff }));
}

/** One node's clock within `bounds` (perfect when both bounds are 0). */
export function clockArbitrary(bounds: SkewBounds): fc.Arbitrary<ClockSpec> {
  if (bounds.maxSkewMs === 0 && bounds.maxDriftPpm === 0) return fc.constant(perfectClock);
  return fc.record({
    offset: fc.integer({ min: -bounds.maxSkewMs, max: bounds.maxSkewMs }),
    driftPpm: fc.integer({ min: -bounds.maxDriftPpm, max: bounds.maxDriftPpm }),
    jumps: fc.constant([]),
  });
}

/** Clocks the user fixed, by process index and by Redis server index. A fixed clock is never varied. */
export interface FixedClocks {
  /** Fixed process clocks, by process index. */
  readonly processes?: Readonly<Record<number, ClockSpec>>;
  /** Fixed Redis server clocks, by server index (0 is `redis`). */
  readonly servers?: Readonly<Record<number, ClockSpec>>;
}

/**
 * A clock for each of `processes` nodes and for each of `servers` Redis servers; `fixed` ones are constants.
 * @example fc.sample(clockPlanArbitrary(2, { maxSkewMs: 100, maxDriftPpm: 0 }), 1)
 */
export function clockPlanArbitrary(processes: number, bounds: SkewBounds, fixed: FixedClocks = {}, servers = 1): fc.Arbitrary<ClockPlan> {
  const node = (spec: ClockSpec | undefined) => (spec ? fc.constant(spec) : clockArbitrary(bounds));
  const nothingVaries = bounds.maxSkewMs === 0 && bounds.maxDriftPpm === 0;
  if (nothingVaries) return fc.constant(fixedClockPlan(processes, servers, fixed));
  return fc.record({
    processes: fc.tuple(...Array.from({ length: processes }, (_, i) => node(fixed.processes?.[i]))),
    servers: fc.tuple(...Array.from({ length: servers }, (_, i) => node(fixed.servers?.[i]))),
  });
}

/**
 * The clock plan with the `fixed` clocks and perfect ones everywhere else.
 * @example fixedClockPlan(2, 1) // every clock reads true time
 */
export function fixedClockPlan(processes: number, servers: number, fixed: FixedClocks = {}): ClockPlan {
  return {
    processes: Array.from({ length: processes }, (_, i) => fixed.processes?.[i] ?? perfectClock),
    servers: Array.from({ length: servers }, (_, i) => fixed.servers?.[i] ?? perfectClock),
  };
}
