/**
 * `interleave/vitest` — assertions for checking scenarios inside a test suite of one's own. They are plain
 * functions that throw an `Error` whose message is the full text of the check (the counterexample's timeline,
 * the violated property, the replay token), so they work in vitest, jest, `node:test` or any other runner; no
 * custom matcher is needed. The fast-check arbitraries the explorer uses are re-exported for property-based
 * tests of one's own.
 *
 * @example
 * import { it } from 'vitest';
 * import { inventory } from 'interleave';
 * import { expectHolds, expectViolation } from 'interleave/vitest';
 *
 * it('the article lock oversells', () => {
 *   expectViolation(inventory, { variant: 'naive-lock', property: 'no-oversell' });
 * });
 * it('the atomic decrement does not', () => {
 *   expectHolds(inventory, { variant: 'atomic-decr', runs: 2000 });
 * });
 * @packageDocumentation
 */
import { check, findScenario, type CheckOptions, type CheckResult } from './api/check.ts';
import type { ViolationReport } from './check/counterexample.ts';
import { checkResultLines } from './report/text.ts';
import type { Scenario } from './scenario.ts';
import { scenarios } from '../models/index.ts';

export { scheduleArbitrary, clockPlanArbitrary, type SkewBounds, type FixedClocks } from './check/arbitraries.ts';
export type { ClockPlan } from './sim/run-setup.ts';

/** A check result that found a violation: `violation` is never `null`. */
export type ViolationResult = CheckResult & {
  /** The minimal counterexample. */
  readonly violation: ViolationReport;
};

/** Options of {@link expectViolation}: those of `check`, where `property` also names the property that must fail. */
export interface ExpectViolationOptions extends CheckOptions {
  /**
   * The `always` property that must be violated. The check is then restricted to it (plus the `sometimes`
   * properties), so another property failing first cannot mask it; a `sometimes` property that is never
   * reached still fails the expectation, with the check's own text.
   */
  readonly property?: string;
}

/**
 * The text `interleave check` prints for `result`, as one string. The replay command in it only knows the
 * built-in scenarios, so for one's own scenario a last line says how to replay the token from code instead.
 */
function text(result: CheckResult, scenario: Scenario | string): string {
  const lines = checkResultLines(result);
  const own = typeof scenario !== 'string' && !scenarios.includes(scenario);
  if (own && result.violation?.replay) {
    lines.push(`  (${result.scenario} is not built in, so that command cannot find it; in code: replay(token, { scenarios: [scenario] }))`);
  }
  return lines.join('\n');
}

/** `scenario / variant`, for messages. */
function label(result: CheckResult): string {
  return `${result.scenario} / ${result.variant}`;
}

/** An assertion error whose stack starts at the caller of `helper`, so a runner points at the user's test line. */
function failure(message: string, helper: (...args: never[]) => unknown): Error {
  const error = new Error(message);
  Error.captureStackTrace(error, helper);
  return error;
}

/**
 * Checks `scenario` and throws unless no property is violated: every `always` property holds in every explored
 * schedule and every `sometimes` property is reached. The error message holds the whole counterexample
 * (timeline, violated property, replay token). Returns the result, e.g. to look at its statistics.
 * @param scenario A scenario object (one's own, from `defineScenario`) or the name of a built-in one.
 * @param options The options of `check`; `variant` defaults to the scenario's first.
 * @example
 * import { expectHolds } from 'interleave/vitest';
 * import { orderCreate } from 'interleave';
 * expectHolds(orderCreate, { variant: 'idempotency-key', seed: 7, runs: 2000 });
 */
export function expectHolds(scenario: Scenario | string, options: CheckOptions = {}): CheckResult {
  const result = check(scenario, options);
  if (result.violation) {
    throw failure(`expected ${label(result)} to hold, but ${result.violation.property} is violated:\n${text(result, scenario)}`, expectHolds);
  }
  return result;
}

/**
 * Checks `scenario` and throws unless a property is violated — `options.property` if given. The error message
 * holds the check's full text (on a wrong property, the whole counterexample that was found instead). Returns
 * the result with its (non-null) minimal counterexample, to pin its steps or replay its token.
 * @param scenario A scenario object (one's own, from `defineScenario`) or the name of a built-in one.
 * @param options The options of `check`, and `property`: the `always` property that must fail.
 * @example
 * import { expectViolation } from 'interleave/vitest';
 * const result = expectViolation('inventory', { variant: 'naive-lock', property: 'no-oversell' });
 * console.log(result.violation.steps.length, result.violation.replay);
 */
export function expectViolation(scenario: Scenario | string, options: ExpectViolationOptions = {}): ViolationResult {
  const result = check(scenario, options);
  const wanted = options.property === undefined ? 'a violation' : `a violation of ${options.property}`;
  if (!result.violation) {
    throw failure(`expected ${wanted} in ${label(result)}, but none was found:\n${text(result, scenario)}`, expectViolation);
  }
  if (options.property !== undefined && result.violation.property !== options.property) {
    throw failure(`expected ${wanted} in ${label(result)}, but ${result.violation.property} failed instead:\n${text(result, scenario)}`, expectViolation);
  }
  return result as ViolationResult;
}

/**
 * Checks every variant of `scenario` and throws unless each behaves as it declares: a `violates` variant shows
 * a violation, a `holds` variant none. The error message lists each variant that surprised, with its full text.
 * Returns the results in variant order.
 * @param scenario A scenario object (one's own, from `defineScenario`) or the name of a built-in one.
 * @param options The options of `check` except `variant` (every variant is checked).
 * @example
 * import { expectVariantsAsDeclared } from 'interleave/vitest';
 * expectVariantsAsDeclared('order-create', { runs: 2000 });
 */
export function expectVariantsAsDeclared(scenario: Scenario | string, options: Omit<CheckOptions, 'variant'> = {}): CheckResult[] {
  const chosen = typeof scenario === 'string' ? findScenario(scenario) : scenario;
  const results = chosen.variants.map((v) => ({ expected: v.expected, result: check(chosen, { ...options, variant: v.name }) }));
  const surprises = results.filter(({ expected, result }) => (result.violation !== null) !== (expected === 'violates'));
  if (surprises.length > 0) {
    const blocks = surprises.map(({ expected, result }) =>
      `${label(result)} is declared to ${expected === 'violates' ? 'violate a property' : 'hold'}, but:\n${text(result, chosen)}`);
    throw failure(`${surprises.length} of ${results.length} variants did not behave as declared:\n\n${blocks.join('\n\n')}`, expectVariantsAsDeclared);
  }
  return results.map((r) => r.result);
}
