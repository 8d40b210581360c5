/**
 * Exercise 6, write the property that catches this: the article's "double release" (a client whose lock
 * expired deletes the next owner's). The student's properties must fail on `inventory / naive-lock` and hold
 * on `inventory / owner-checked`, in every schedule of two buyers with up to two pauses.
 */
import { inventory } from '../../../models/inventory.ts';
import { defineExercise } from '../exercise.ts';
import { propertiesExport } from '../exports.ts';
import { propertySteps } from '../property-steps.ts';

/** The exercise `06-property-double-release`. */
export const propertyDoubleRelease = defineExercise({
  name: '06-property-double-release',
  export: propertiesExport,
  steps: (properties) => propertySteps(properties, {
    scenario: inventory,
    params: { buyers: 2 },
    buggy: { variant: 'naive-lock', bug: 'the double release' },
    fixed: { variant: 'owner-checked', why: 'its compare-and-delete removes only its own lock' },
    reference: 'no-foreign-release',
  }),
});
