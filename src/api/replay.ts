/** `replay(token)`: the library form of `interleave replay` — rebuilds a counterexample exactly. */
import type { Params, Scenario } from '../scenario.ts';
import type { FaultBudget } from '../sim/actions.ts';
import { counterexample, lassoCounterexample, type ViolationReport } from '../check/counterexample.ts';
import { findVariant, prepare, UsageError } from '../check/prepare.ts';
import { decodeToken } from '../check/replay-token.ts';
import { findScenario } from './check.ts';

/** A replayed counterexample. */
export interface ReplayResult {
  /** Scenario name. */
  readonly scenario: string;
  /** Variant name. */
  readonly variant: string;
  /** Parameter values. */
  readonly params: Params;
  /** Seed. */
  readonly seed: number;
  /** The fault budget the counterexample ran under. */
  readonly faults: FaultBudget;
  /** The counterexample, identical to the one the check printed. */
  readonly violation: ViolationReport;
}

/** Options of `replay`. */
export interface ReplayOptions {
  /** Where to look the token's scenario up (default: the built-in scenarios); pass your own scenarios here. */
  readonly scenarios?: readonly Scenario[];
}

/**
 * Re-runs the counterexample a replay token names; throws `UsageError` for a token that does not decode or no
 * longer reproduces (a scenario that changed since).
 * @example replay(check('inventory', { variant: 'naive-lock' }).violation!.replay!).violation.property
 */
export function replay(token: string, options: ReplayOptions = {}): ReplayResult {
  const r = decodeToken(token);
  const scenario = findScenario(r.scenario, options.scenarios);
  const prepared = prepare(scenario, findVariant(scenario, r.variant), r.params, r.seed);
  const property = prepared.instance.properties.find((p) => p.name === r.property);
  if (!property) throw new UsageError(`variant '${r.variant}' has no property '${r.property}'`);
  try {
    const violation = r.loopsFrom === undefined
      ? counterexample(prepared, r.faults, r.clocks, r.actions, property)
      : lassoCounterexample(prepared, r.faults, r.clocks, r.actions.slice(0, r.loopsFrom), r.actions.slice(r.loopsFrom), property);
    return { scenario: r.scenario, variant: r.variant, params: r.params, seed: r.seed, faults: r.faults, violation };
  } catch (error) {
    throw new UsageError(`the token does not reproduce a violation: ${(error as Error).message}`);
  }
}
