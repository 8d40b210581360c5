/**
 * A random search in parts. The search is one fixed sequence of schedules — fast-check sample b (a clock plan
 * and a batch seed, from the one seed) gives schedules 16b + 1 … 16b + 16 — and where it stops depends only on
 * which schedules broke which property (`lastSchedule`). So part i of n can run just the samples b ≡ i (mod n)
 * and record each schedule's outcome in a byte; merging the parts' records replays the stopping rule and gives
 * exactly the counts and the counterexample of one search that ran them all. One thread running the one part
 * (`WHOLE`) is the ordinary search; worker threads and shards are n parts.
 *
 * A part learns where to stop from what it has seen itself — any violation bounds the search by the patience
 * rule, a headline violation ends it there — and from the other parts through a shared `PartControl`.
 */
import fc from 'fast-check';
import type { ClockPlan } from '../../sim/run-setup.ts';
import { createPrng } from '../../sim/prng.ts';
import { UsageError, runSetup, type Prepared } from '../prepare.ts';
import { clockPlanArbitrary, scheduleArbitrary } from '../arbitraries.ts';
import { decoding, execute, type Execution } from '../execute.ts';
import { pct } from '../pct.ts';
import type { Exploration, ExploreOptions, Found } from '../random.ts';

/** Schedules per fast-check sample. */
export const BATCH = 16;
/** After the first violation at schedule k, the search for the headline goes on up to schedule k × this … */
const HEADLINE_PATIENCE = 8;
/** … and at least up to this schedule. */
const HEADLINE_SEARCH_MIN = 500;
/** PCT's bound k on a run's length until a run has shown a longer one. */
const PCT_MIN_STEPS = 32;
/** The first samples, whose runs set PCT's bound for all the others (every part runs them). */
const PCT_PILOT_SAMPLES = 8;

/**
 * The last schedule a search runs: all `runs`, unless a violation came first — the first violation of any
 * property at schedule v lets it go on to max(8v, 500) looking for the headline; the first of the headline, at
 * h, ends it at h.
 * @example lastSchedule(10_000, 30, null) // 500
 */
export function lastSchedule(runs: number, firstViolation: number | null, firstHeadline: number | null): number {
  let last = runs;
  if (firstViolation !== null) last = Math.min(last, Math.max(firstViolation * HEADLINE_PATIENCE, HEADLINE_SEARCH_MIN));
  if (firstHeadline !== null) last = Math.min(last, firstHeadline);
  return last;
}

/** Which samples a part runs: those whose number is `index` mod `count` (0-based). */
export interface Part {
  /** This part, from 0. */
  readonly index: number;
  /** How many parts the search is split into. */
  readonly count: number;
}

/** The whole search, as one part. */
export const WHOLE: Part = { index: 0, count: 1 };

/** What the parts of one search share: where it stops, and how far they got. */
export interface PartControl {
  /** The last schedule the search may need, as far as any part has seen so far (it only goes down). */
  last(): number;
  /** Lowers `last()` to `schedule`, if that is lower. */
  lower(schedule: number): void;
  /** Told after each schedule a part ran. */
  ran(): void;
}

/**
 * The control of a search whose parts run in this thread: it stops at `runs` at the latest (never earlier
 * when `options.exhaustRuns`) and calls `options.onProgress` every 1000 schedules.
 * @example exploreRandomPart(prepared, options, WHOLE, localControl(options))
 */
export function localControl(options: ExploreOptions): PartControl {
  let last = options.runs;
  let ran = 0;
  return {
    last: () => last,
    lower: (schedule) => {
      if (!options.exhaustRuns) last = Math.min(last, schedule);
    },
    ran: () => {
      if (++ran % 1000 === 0) options.onProgress?.(ran);
    },
  };
}

/** The word of a shared control that holds where the search stops (`PartControl.last`). */
export const LAST = 0;
/** The word of a shared control that counts the schedules run. */
export const RAN = 1;

/**
 * The control of one part, over `words` shared with the other parts (see `PartControl`); `meanwhile` is called
 * every 1000 schedules the part runs.
 * @example exploreRandomPart(prepared, options, part, sharedControl(new Int32Array(buffer), false))
 */
export function sharedControl(words: Int32Array, exhaustRuns: boolean, meanwhile?: () => void): PartControl {
  let ran = 0;
  return {
    last: () => Atomics.load(words, LAST),
    lower: (schedule) => {
      if (exhaustRuns) return;
      for (let last = Atomics.load(words, LAST); schedule < last; last = Atomics.load(words, LAST)) {
        if (Atomics.compareExchange(words, LAST, last, schedule) === last) return;
      }
    },
    ran: () => {
      Atomics.add(words, RAN, 1);
      if (++ran % 1000 === 0) meanwhile?.();
    },
  };
}

/** What a part needs to run one schedule again: its sample's clocks, its seed, and PCT's bound k for it. */
export interface ScheduleRerun {
  /** The schedule's number (1-based, in the whole search). */
  readonly at: number;
  /** The rank of the property it broke (its index among the `always` and `eventually` properties). */
  readonly rank: number;
  /** The clocks of its sample. */
  readonly clocks: ClockPlan;
  /** The seed of its scheduler decisions. */
  readonly schedule: number;
  /** PCT's bound k when it ran. */
  readonly maxSteps: number;
}

/** What one part of a random search saw. */
export interface RandomPart {
  /** Which part. */
  readonly part: Part;
  /**
   * One byte per schedule the part ran, in its order (see `scheduleNumber`): 1 + the rank of the property the
   * schedule broke (0 when none), plus 128 when its `eventually` properties went unjudged.
   */
  readonly outcomes: Uint8Array;
  /** The first schedule of this part that reached each `sometimes` property, by name. */
  readonly reached: Readonly<Record<string, number>>;
  /** The first schedule of this part that broke each rank of property, to run again. */
  readonly firsts: readonly ScheduleRerun[];
}

const UNJUDGED = 128;

/**
 * The number, in the whole search, of the `k`-th schedule (from 0) that `part` runs.
 * @example scheduleNumber({ index: 1, count: 2 }, 0) // 17: sample 1's first
 */
export function scheduleNumber(part: Part, k: number): number {
  const sample = part.index + part.count * Math.floor(k / BATCH);
  return sample * BATCH + (k % BATCH) + 1;
}

/** Runs one schedule: its chooser is uniform, or PCT with bound `maxSteps`. */
function runSchedule(prepared: Prepared, options: ExploreOptions, clocks: ClockPlan, schedule: number, maxSteps: number, reached?: Set<string>): Execution {
  const chooser = options.pctDepth === undefined ? decoding(schedule) : pct(schedule, prepared.processes.length, options.pctDepth, maxSteps);
  return execute(runSetup(prepared, clocks, options.faults), chooser, { properties: prepared.instance.properties, reached, runToEnd: true });
}

/**
 * Runs `part` of the random search of `prepared`: its samples in order, each schedule until `control.last()`.
 * PCT's bound k for a schedule is the longest run before it (at least 32) — within the first 8 samples, which
 * every part runs (recording only its own), then the longest of those and of the runs before it in its own
 * sample: so it depends on nothing another part ran.
 */
export function exploreRandomPart(prepared: Prepared, options: ExploreOptions, part: Part, control: PartControl): RandomPart {
  const invariants = prepared.instance.properties.filter((p) => p.kind !== 'sometimes');
  if (invariants.length >= UNJUDGED - 1) throw new Error(`${invariants.length} properties: more than a schedule's outcome byte can rank`);
  const outcomes: number[] = [];
  const reached = new Set<string>();
  const firstReached: Record<string, number> = {};
  const firsts: ScheduleRerun[] = [];
  let firstViolation: number | null = null;
  let firstHeadline: number | null = null;
  /** Records one schedule's outcome, and lowers the end of the search by it. */
  const record = (at: number, schedule: number, k: number, execution: Execution, clocks: ClockPlan) => {
    const rank = execution.violation === null ? -1 : invariants.indexOf(execution.violation.property);
    outcomes.push(rank + 1 + (execution.judged ? 0 : UNJUDGED));
    for (const name of reached) firstReached[name] ??= at;
    if (rank >= 0 && !firsts.some((f) => f.rank === rank)) firsts.push({ at, rank, clocks, schedule, maxSteps: k });
    if (rank >= 0) {
      firstViolation ??= at;
      if (rank === 0) firstHeadline ??= at;
      control.lower(lastSchedule(options.runs, firstViolation, firstHeadline));
    }
    control.ran();
  };
  /**
   * Runs the schedules of sample `sample` until `last`, PCT's bound from `from` up, and records each (unless only
   * its lengths are wanted); returns the bound reached.
   */
  const runSample = (sample: number, clocks: ClockPlan, batch: number, from: number, last: () => number, recorded: boolean) => {
    const schedulesOfBatch = createPrng(batch);
    let bound = from;
    for (let at = sample * BATCH + 1; at <= (sample + 1) * BATCH && at <= last(); at++) {
      const schedule = schedulesOfBatch.int(0, 0x7fffffff);
      const execution = runSchedule(prepared, options, clocks, schedule, bound, recorded ? reached : undefined);
      if (recorded) record(at, schedule, bound, execution, clocks);
      bound = Math.max(bound, execution.actions.length);
    }
    return bound;
  };
  /** PCT's bound: carried through the first samples, then fixed. */
  let k = PCT_MIN_STEPS;
  const arbitrary = fc.tuple(clockPlanArbitrary(prepared.processes.length, options, options.fixedClocks, prepared.servers), scheduleArbitrary());
  let sample = -1;
  // One fast-check sample is a batch of schedules sharing a clock plan: a sample costs about as much as a
  // whole run of a small scenario, so batching keeps fast-check's bookkeeping off the hot path.
  fc.check(
    fc.property(arbitrary, ([clocks, batch]) => {
      const mine = ++sample % part.count === part.index;
      const pilot = options.pctDepth !== undefined && sample < PCT_PILOT_SAMPLES;
      if (!mine && !pilot) return true;
      // Returning false ends fast-check's loop: every later sample lies beyond the end too.
      if (sample * BATCH + 1 > control.last()) return false;
      const longest = runSample(sample, clocks, batch, k, () => control.last(), mine);
      if (pilot) k = longest;
      return true;
    }),
    { seed: options.seed, numRuns: Math.ceil(options.runs / BATCH), endOnFailure: true },
  );
  return { part, outcomes: Uint8Array.from(outcomes), reached: firstReached, firsts };
}

/**
 * What the whole search saw, from the records of its parts: where it stopped, what it counted up to there, and
 * its chosen violation — the first schedule that broke the highest-ranked property broken — run again here.
 * Throws a `UsageError` when the parts leave a schedule before the stop unrun (a shard missing).
 */
export function mergeRandomParts(prepared: Prepared, options: ExploreOptions, parts: readonly RandomPart[]): Exploration {
  const firsts = parts.flatMap((p) => p.firsts);
  const earliest = (list: readonly ScheduleRerun[]) => (list.length === 0 ? null : Math.min(...list.map((f) => f.at)));
  const last = options.exhaustRuns ? options.runs : lastSchedule(options.runs, earliest(firsts), earliest(firsts.filter((f) => f.rank === 0)));
  let schedules = 0;
  let violating = 0;
  let unjudged = 0;
  for (const { part, outcomes } of parts) {
    for (let k = 0; k < outcomes.length && scheduleNumber(part, k) <= last; k++) {
      schedules++;
      if ((outcomes[k] & ~UNJUDGED) !== 0) violating++;
      if (outcomes[k] & UNJUDGED) unjudged++;
    }
  }
  if (schedules !== last) throw new UsageError(`the parts ran ${schedules} of the search's first ${last} schedules: a part is missing or cut short`);
  const reached = new Set(parts.flatMap((p) => Object.entries(p.reached).filter(([, at]) => at <= last).map(([name]) => name)));
  const chosen = firsts.filter((f) => f.at <= last).sort((a, b) => a.rank - b.rank || a.at - b.at)[0];
  let found: Found | null = null;
  if (chosen) found = { at: chosen.at, clocks: chosen.clocks, execution: runSchedule(prepared, options, chosen.clocks, chosen.schedule, chosen.maxSteps) };
  return { found, schedules, reached, violating, unjudged };
}
