/**
 * Checking one prepared variant: explore random schedules, and on a violation minimise it and build the
 * counterexample — or search every schedule breadth-first, whose first violation is already a shortest one;
 * with no violation, make sure every `sometimes` property was reached (else the pass is vacuous).
 */
import type { Property } from '../../properties/property.ts';
import { counterexample, lassoCounterexample, unreached, type ViolationReport } from './counterexample.ts';
import { minimise } from './minimise.ts';
import { runSetup, type Prepared } from './prepare.ts';
import { exploreRandom, type Exploration, type ExploreOptions } from './random.ts';
import { exploreExhaustive, type ExhaustiveBounds, type ExhaustiveOutcome, type ExhaustiveStats } from './exhaustive.ts';
import type { Action, FaultBudget } from '../sim/actions.ts';
import type { ClockPlan, RunSetup } from '../sim/run-setup.ts';
import { fixedClockPlan, type FixedClocks, type SkewBounds } from './arbitraries.ts';

/** What checking a variant found. */
export interface VariantOutcome {
  /** The counterexample, or `null`. */
  readonly violation: ViolationReport | null;
  /** Schedules explored. */
  readonly schedules: number;
  /** The number of the schedule that found the reported violation, `null` without one. */
  readonly foundAt: number | null;
  /** Names of the `sometimes` properties some schedule reached. */
  readonly reached: readonly string[];
  /** Length of the failing run before minimisation, `null` without one. */
  readonly originalSteps: number | null;
  /** Runs cut off before their `eventually` properties could be judged (random and PCT search). */
  readonly unjudged?: number;
  /** For an exhaustive search: how far it got. */
  readonly exhaustive?: ExhaustiveStats;
}

/**
 * Checks `prepared` by exhaustive search within `bounds`, under the fixed clocks; every other clock is perfect,
 * or — with skew bounds — chosen by the search, each from offsets {−max, 0, +max} and drifts {−max, 0, +max}.
 */
export function checkExhaustively(prepared: Prepared, faults: FaultBudget, fixed: FixedClocks, bounds: ExhaustiveBounds, properties: readonly Property[], skew: SkewBounds = { maxSkewMs: 0, maxDriftPpm: 0 }, explore: ExhaustiveExplorer = exploreExhaustive): VariantOutcome {
  const plan = fixedClockPlan(prepared.processes.length, prepared.servers, fixed);
  const setup = exhaustiveSetup(prepared, faults, fixed, skew);
  const { found, reached, ...exhaustive } = explore(setup, properties, bounds);
  const sorted = [...reached].sort();
  if (found) {
    // The counterexample runs on the clocks the search chose, as a plan: its schedule starts at the first step.
    const chosen = found.actions.filter((a) => a.kind === 'clock');
    let clocks = withChosenClocks(plan, chosen);
    let actions: readonly Action[] = found.actions.slice(chosen.length);
    // One not known to be a shortest (met depth-first, left as it was) is shrunk as a random search's is.
    if (!exhaustive.shortest) ({ clocks, actions } = minimise((c) => runSetup(prepared, c, faults), found.property, { clocks, actions }, fixed)!);
    const violation = found.loopsFrom === undefined
      ? counterexample(prepared, faults, clocks, actions, found.property)
      : lassoCounterexample(prepared, faults, clocks, actions.slice(0, found.loopsFrom - chosen.length), actions.slice(found.loopsFrom - chosen.length), found.property);
    return { violation, schedules: 0, foundAt: null, reached: sorted, originalSteps: found.actions.length, exhaustive };
  }
  // Within bounds, an unreached `sometimes` may lie deeper: only an exhausted search shows it unreachable.
  const missed = exhaustive.exhausted ? properties.find((p) => p.kind === 'sometimes' && !reached.has(p.name)) : undefined;
  return { violation: missed ? unreached(missed, `${exhaustive.states} states`) : null, schedules: 0, foundAt: null, reached: sorted, originalSteps: null, exhaustive };
}

/** How an exhaustive search runs: `exploreExhaustive` in this thread, or on worker threads, or merged from shards. */
export type ExhaustiveExplorer = (setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds) => ExhaustiveOutcome;

/** How a random or PCT search runs: `exploreRandom` in this thread, or on worker threads, or merged from shards. */
export type RandomExplorer = (prepared: Prepared, options: ExploreOptions) => Exploration;

/** The setup of an exhaustive search of `prepared`: the fixed clocks, and the others chosen within `skew`. */
export function exhaustiveSetup(prepared: Prepared, faults: FaultBudget, fixed: FixedClocks, skew: SkewBounds): RunSetup {
  return { ...runSetup(prepared, fixedClockPlan(prepared.processes.length, prepared.servers, fixed), faults), ...clockChoices(prepared, fixed, skew) };
}

/** The clock choices of an exhaustive search within `skew`: none when both bounds are 0. */
function clockChoices(prepared: Prepared, fixed: FixedClocks, skew: SkewBounds): Pick<RunSetup, 'clockChoices'> {
  if (skew.maxSkewMs === 0 && skew.maxDriftPpm === 0) return {};
  const processes = prepared.processes.map((_, i) => i).filter((i) => fixed.processes?.[i] === undefined);
  const servers = Array.from({ length: prepared.servers }, (_, i) => i).filter((i) => fixed.servers?.[i] === undefined);
  const bounded = (max: number) => (max === 0 ? [0] : [-max, 0, max]);
  return {
    clockChoices: {
      nodes: [...processes, ...servers.map((i) => prepared.processes.length + i)],
      offsets: bounded(skew.maxSkewMs),
      drifts: bounded(skew.maxDriftPpm),
    },
  };
}

/** `plan` with the clocks that `chosen` (clock actions) set. */
function withChosenClocks(plan: ClockPlan, chosen: readonly Action[]): ClockPlan {
  const processes = [...plan.processes];
  const servers = [...plan.servers];
  for (const a of chosen) {
    if (a.kind !== 'clock') continue;
    const clock = { offset: a.offset, driftPpm: a.driftPpm, jumps: [] };
    if (a.node < processes.length) processes[a.node] = clock;
    else servers[a.node - processes.length] = clock;
  }
  return { processes, servers };
}

/** Checks `prepared` against `properties` (by default its own). */
export function checkVariant(prepared: Prepared, options: ExploreOptions, properties: readonly Property[] = prepared.instance.properties, explore: RandomExplorer = exploreRandom): VariantOutcome {
  const target = { ...prepared, instance: { ...prepared.instance, properties } };
  const exploration = explore(target, options);
  const found = exploration.found;
  if (found) {
    const property = found.execution.violation!.property;
    const setupFor = (clocks: Parameters<typeof runSetup>[1]) => runSetup(prepared, clocks, options.faults);
    const minimal = minimise(setupFor, property, { clocks: found.clocks, actions: found.execution.actions }, options.fixedClocks)!;
    return {
      violation: counterexample(prepared, options.faults, minimal.clocks, minimal.actions, property),
      schedules: exploration.schedules,
      foundAt: found.at,
      reached: [...exploration.reached].sort(),
      originalSteps: found.execution.actions.length,
    };
  }
  const missed = properties.find((p) => p.kind === 'sometimes' && !exploration.reached.has(p.name));
  return {
    violation: missed ? unreached(missed, `${exploration.schedules} schedules`) : null, schedules: exploration.schedules, foundAt: null,
    reached: [...exploration.reached].sort(), originalSteps: null, unjudged: exploration.unjudged,
  };
}
