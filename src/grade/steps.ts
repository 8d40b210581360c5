/**
 * The two checks exercises are graded by, both exhaustive searches (so a pass is a proof within the fault
 * budget, and a counterexample a shortest one): a claim that must hold in every schedule, and a bug that must
 * be caught in some schedule.
 */
import { check, type CheckOptions, type CheckResult } from '../api/check.ts';
import type { Scenario } from '../scenario.ts';
import type { GradeStep } from './exercise.ts';

/**
 * The most states a grading search stores: several times any reference solution's, so a sound solution is never
 * cut short, while a machine whose states never repeat is stopped within seconds.
 */
export const GRADE_MAX_STATES = 100_000;

/** One exhaustive search: a scenario, and the options of `check` (variant, parameters, fault budget). */
export interface Probe {
  /** The scenario, typically a built-in one with the student's work put in (src/grade/submission-scenario.ts). */
  readonly scenario: Scenario;
  /** Everything but the search mode, which is always exhaustive. */
  readonly options: Omit<CheckOptions, 'mode'>;
}

/**
 * Runs `probe` as an exhaustive search bounded by {@link GRADE_MAX_STATES}.
 * @example searchAll({ scenario: inventory, options: { variant: 'fenced', params: { buyers: 2 } } }).result // 'none'
 */
export function searchAll(probe: Probe): CheckResult {
  return check(probe.scenario, { maxStates: GRADE_MAX_STATES, ...probe.options, mode: 'exhaustive' });
}

/**
 * A step that passes when no schedule of `probe` violates any of its properties, every state visited.
 * @example mustHold('your buyers never oversell', { scenario, options: { params: { buyers: 3 } } })
 */
export function mustHold(claim: string, probe: Probe, onViolation = 'the schedule above breaks'): () => GradeStep {
  return () => {
    const result = searchAll(probe);
    const { violation } = result;
    if (violation?.replay === null) return { claim, check: result, passed: false, reason: `no schedule ever gets there (${violation.property}: ${violation.description})` };
    if (violation) return { claim, check: result, passed: false, reason: `${onViolation} ${violation.property}` };
    const { exhausted, bound, states } = result.stats.exhaustive!;
    if (!exhausted) {
      const where = bound === 'max-depth' ? 'at its depth bound' : `after ${states} states`;
      return { claim, check: result, passed: false, reason: `the search stopped ${where} before it had seen every state: your version has far more states than it needs (does it count something forever?)` };
    }
    return { claim, check: result, passed: true };
  };
}

/**
 * A step that passes when some schedule of `probe` violates one of its properties (a `sometimes` property that is
 * never reached does not count: it is not a bug caught). On a miss, `reference` — the same schedules under
 * properties that do catch the bug — is searched too, so the student sees the bug that got away.
 * @example mustViolate('your property catches the double release', { scenario, options: {} }, { scenario: inventory, options: { variant: 'naive-lock' } })
 */
export function mustViolate(claim: string, probe: Probe, reference: Probe): () => GradeStep {
  return () => {
    const result = searchAll(probe);
    const { violation } = result;
    if (violation && violation.replay !== null) return { claim, check: result, passed: true };
    const missed = { claim, check: result, passed: false, reference: searchAll(reference) };
    if (violation) return { ...missed, reason: `${violation.property} is never reached, and no other property fails` };
    return { ...missed, reason: 'no schedule breaks your properties, yet this one has the bug (found by the reference property):' };
  };
}
