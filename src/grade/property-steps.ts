/**
 * The grading of a "write the property" exercise: the student's properties are checked against a variant that
 * has the bug and one that does not. They must catch the first (a property that never fails proves nothing)
 * and pass the second (a property that always fails, or fails on something else, is not the property asked
 * for). A miss shows the bug as the reference property finds it.
 */
import type { Property } from '../../properties/property.ts';
import type { Params, Scenario } from '../scenario.ts';
import type { GradeStep } from './exercise.ts';
import { submissionScenario } from './submission-scenario.ts';
import { mustHold, mustViolate } from './steps.ts';

/** Which variants of which scenario a property exercise uses. */
export interface PropertyTrial {
  /** The built-in scenario. */
  readonly scenario: Scenario;
  /** Its parameters for both searches. */
  readonly params: Params;
  /** The variant with the bug, and the bug in a few words. */
  readonly buggy: { readonly variant: string; readonly bug: string };
  /** The variant without it, and why it has none. */
  readonly fixed: { readonly variant: string; readonly why: string };
  /** The built-in property that catches the bug, shown when the student's miss it. */
  readonly reference: string;
}

/**
 * The two steps: `properties` catch the bug in the buggy variant, and hold for the fixed one.
 * @example propertySteps(theirs, { scenario: inventory, params: { buyers: 2 }, buggy: { variant: 'naive-lock', bug: 'the double release' }, fixed: { variant: 'owner-checked', why: 'it deletes only its own lock' }, reference: 'no-foreign-release' })
 */
export function propertySteps(properties: readonly Property[], trial: PropertyTrial): (() => GradeStep)[] {
  const theirs = (variant: string) => ({
    scenario: submissionScenario(trial.scenario, variant, { name: variant, summary: `${variant} under your properties`, properties: () => properties }),
    options: { params: trial.params },
  });
  const reference = { scenario: trial.scenario, options: { variant: trial.buggy.variant, params: trial.params, property: trial.reference } };
  return [
    mustViolate(`your properties catch ${trial.buggy.bug} in ${trial.scenario.name} / ${trial.buggy.variant}`, theirs(trial.buggy.variant), reference),
    mustHold(`your properties hold for ${trial.scenario.name} / ${trial.fixed.variant}, which has no such bug: ${trial.fixed.why}`, theirs(trial.fixed.variant),
      'the schedule above has no such bug, yet it breaks your'),
  ];
}
