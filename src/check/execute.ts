/**
 * Executes one run: a chooser picks each next action, the simulation applies it, and the properties are
 * evaluated after every step. The random explorer, the minimiser and replay all run through here, so they
 * agree on what a run is.
 */
import type { Action } from '../sim/actions.ts';
import type { RunSetup } from '../sim/run-setup.ts';
import { Simulation } from '../sim/simulation.ts';
import { createPrng, type Prng } from '../sim/prng.ts';
import type { Property } from '../../properties/property.ts';
import type { KeyChange } from '../world/redis/types.ts';

/** An `always` property that failed, or an `eventually` one that a quiescent run left unmet. */
export interface Violation {
  /** The property. */
  readonly property: Property;
  /** The state that breaks it. */
  readonly explanation: string;
}

/** A finished run: the actions actually taken and the first violation, if any. */
export interface Execution {
  /** Actions taken, in order (ends with the violating one, if any). */
  readonly actions: readonly Action[];
  /** The first `always` property violated (or `eventually` property unmet at the end), or `null`. */
  readonly violation: Violation | null;
  /** The simulation as the run left it (with events, when recording). */
  readonly simulation: Simulation;
  /**
   * False when the run had `eventually` properties to judge and was cut off at `maxSteps` before it quiesced:
   * they were neither met nor broken, and a report must say so rather than count them as passed.
   */
  readonly judged: boolean;
}

/** Chooses each next action of a run. */
export interface Chooser {
  /** The next action, or `null` to end the run. */
  choose(simulation: Simulation): Action | null;
}

/** How to execute. */
export interface ExecuteOptions {
  /**
   * Properties in priority order: `always` ones checked after each step, `eventually` ones at the end of a run
   * that quiesced, `sometimes` ones watched.
   */
  readonly properties: readonly Property[];
  /** Names of `sometimes` properties reached so far; this run adds to it. */
  readonly reached?: Set<string>;
  /** Record events for a report. */
  readonly record?: boolean;
  /** A run longer than this ends without a verdict (guards against livelock). */
  readonly maxSteps?: number;
  /**
   * Run on after a violation to the end of the schedule and report the highest-priority property (first in
   * `properties`) that failed, rather than the first to fail in time. Lets a report lead with the
   * consequence (an oversell) rather than its cause (two buyers inside).
   */
  readonly runToEnd?: boolean;
}

/**
 * Runs `setup`, taking actions from `chooser` until it returns `null`, a property fails, or `maxSteps`; when the
 * run ended quiescent (nothing can progress), its `eventually` properties are judged on the final state.
 */
export function execute(setup: RunSetup, chooser: Chooser, options: ExecuteOptions): Execution {
  const simulation = new Simulation(setup, options.record ?? false);
  // Plain loops, not filter(): no closures per run (tsx wraps every function it creates to keep its name).
  const invariants: Property[] = [];
  const watched: Property[] = [];
  const liveness: Property[] = [];
  for (const p of options.properties) {
    if (p.kind === 'always') invariants.push(p);
    else if (p.kind === 'eventually') liveness.push(p);
    else if (!options.reached?.has(p.name)) watched.push(p);
  }
  const actions: Action[] = [];
  const maxSteps = options.maxSteps ?? 10_000;
  let violation: Violation | null = null;
  let judged = liveness.length === 0;
  const fail = (property: Property) => {
    const { properties } = options;
    if (!violation || properties.indexOf(violation.property) > properties.indexOf(property)) violation = { property, explanation: property.explain(simulation) };
  };
  while (actions.length < maxSteps) {
    const action = chooser.choose(simulation);
    if (action === null) {
      if (simulation.isQuiescent()) {
        judged = true;
        for (const property of liveness) if (!property.test(simulation)) fail(property);
      }
      break;
    }
    simulation.apply(action);
    actions.push(action);
    const changed = actions.length === 1 || simulation.step === null ? null : simulation.step.changes;
    for (let i = 0; i < invariants.length; i++) {
      const property = invariants[i];
      if (unaffected(property, changed) || property.test(simulation)) continue;
      fail(property);
      if (!options.runToEnd) return { actions, violation, simulation, judged: true };
      invariants.splice(i--, 1);
    }
    for (let i = watched.length - 1; i >= 0; i--) {
      if (!unaffected(watched[i], changed) && watched[i].test(simulation)) {
        options.reached?.add(watched[i].name);
        watched.splice(i, 1);
      }
    }
  }
  // A run that ended because its chooser had no more to say (a replay) is not cut off.
  return { actions, violation, simulation, judged: judged || actions.length < maxSteps };
}

/**
 * True when `property` reads only keys (`Property.keys`) and the last command changed none of them; `changed`
 * is `null` when everything must be re-evaluated (the first action, or one that was not a command).
 * @example if (!unaffected(property, simulation.step?.changes ?? null) && !property.test(simulation)) fail(property)
 */
export function unaffected(property: Property, changed: readonly KeyChange[] | null): boolean {
  const keys = property.keys;
  if (changed === null || keys === undefined) return false;
  for (const change of changed) if (keys.includes(change.key)) return false;
  return true;
}

/** A chooser that follows `actions`, skipping any that are not enabled when their turn comes. */
export function following(actions: readonly Action[]): Chooser {
  return new Following(actions);
}

class Following implements Chooser {
  private next = 0;
  constructor(private readonly actions: readonly Action[]) {}
  choose(simulation: Simulation): Action | null {
    while (this.next < this.actions.length) {
      const action = this.actions[this.next++];
      if (simulation.isEnabled(action)) return action;
    }
    return null;
  }
}

/** One decision in this many lands a fault, while the run's budget lasts. */
const FAULT_ODDS = 8;

/**
 * A chooser that draws every decision of a run from a PRNG seeded with `scheduleSeed` (a fast-check arbitrary's
 * value): with odds 1 in 8 a fault lands (a pause of random length, or a crash) while the budget lasts;
 * otherwise one of the progress actions is taken, uniformly. The run ends when nothing can progress.
 */
export function decoding(scheduleSeed: number): Chooser {
  return new Decoding(createPrng(scheduleSeed));
}

class Decoding implements Chooser {
  constructor(private readonly prng: Prng) {}
  choose(simulation: Simulation): Action | null {
    // One draw decides both whether a fault lands (its low part) and which action (the rest).
    const draw = this.prng.int(0, 0x7fffffff);
    const fault = faultOf(draw, this.prng, simulation);
    if (fault) return fault;
    const progress = simulation.progressActions();
    return progress.length === 0 ? null : progress[Math.floor(draw / FAULT_ODDS) % progress.length];
  }
}

/**
 * The fault a decision's PRNG `draw` lands, or `null`: with odds 1 in 8 (the draw's low part) while the budget
 * lasts, the fault its high part numbers — a pause of random length (drawn from `prng`), a crash, a loss, a
 * channel close.
 */
export function faultOf(draw: number, prng: Prng, simulation: Simulation): Action | null {
  if (draw % FAULT_ODDS !== 0) return null;
  const faults = simulation.faultCount();
  return faults === 0 ? null : simulation.fault(Math.floor(draw / FAULT_ODDS) % faults, prng.int(1, simulation.maxPauseMs));
}
