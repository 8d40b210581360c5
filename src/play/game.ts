/**
 * What `interleave play` plays: a scenario variant set up exactly as `check` sets it up (its parameters, seed
 * and fault budget), with the clocks chosen at the start within the skew bounds as exhaustive search chooses
 * them, so that the student's choices are the search's own. The checker's counterexample is searched once,
 * when the student first breaks something, and remembered.
 */
import { planCheck, searchPlan, type CheckPlan } from '../api/check.ts';
import { exhaustiveSetup } from '../check/check-variant.ts';
import type { ViolationReport } from '../check/counterexample.ts';
import type { RunSetup } from '../sim/run-setup.ts';
import type { Scenario, Variant } from '../scenario.ts';

/** A scenario variant ready to be played. */
export interface Game {
  /** The check `check` would run on it: scenario, variant, built instance, fault budget, properties. */
  readonly plan: CheckPlan;
  /** The setup of every run: the one exhaustive search explores. */
  readonly setup: RunSetup;
  /** The variants of the same scenario that fix it (expected to hold). */
  readonly fixes: readonly Variant[];
}

/** Options of `newGame`. */
export interface GameOptions {
  /** Variant name (default: the scenario's first). */
  readonly variant?: string;
  /** Scenario parameters, e.g. `{ buyers: 2 }` (defaults filled in). */
  readonly params?: Readonly<Record<string, number | undefined>>;
}

/**
 * Sets up a game of `scenario`; bad names or parameters are a `UsageError`.
 * @example newGame('inventory', { variant: 'naive-lock' }).plan.variant.summary
 */
export function newGame(scenario: Scenario | string, options: GameOptions = {}): Game {
  const plan = planCheck(scenario, { variant: options.variant, params: options.params }, 0);
  return {
    plan,
    setup: exhaustiveSetup(plan.prepared, plan.faults, plan.fixed, plan.skew),
    fixes: plan.scenario.variants.filter((v) => v.expected === 'holds'),
  };
}

const searched = new WeakMap<Game, ViolationReport | null>();

/**
 * The minimal counterexample the checker finds for the game's variant with the variant's own settings (its
 * search mode, seed and budget), or `null` when it finds no run that breaks a property.
 * @example checkerCounterexample(newGame('inventory', { variant: 'naive-lock' }))?.decisions // 10
 */
export function checkerCounterexample(game: Game): ViolationReport | null {
  if (!searched.has(game)) {
    const found = searchPlan(game.plan).violation;
    // A `sometimes` never reached is reported with an empty timeline: there is no run to show.
    searched.set(game, found && found.steps.length > 0 ? found : null);
  }
  return searched.get(game)!;
}
