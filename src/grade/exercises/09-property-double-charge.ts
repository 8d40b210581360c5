/**
 * Exercise 9, write the property that catches a double charge: the student's properties must fail on
 * `payment / ack-after` (a worker crashes between the charge and the ack, RabbitMQ redelivers, the card is
 * charged again) and hold on `payment / idempotent`, in every schedule of one worker with a crash and two pauses.
 */
import { payment } from '../../../models/payment.ts';
import { defineExercise } from '../exercise.ts';
import { propertiesExport } from '../exports.ts';
import { propertySteps } from '../property-steps.ts';

/** The exercise `09-property-double-charge`. */
export const propertyDoubleCharge = defineExercise({
  name: '09-property-double-charge',
  export: propertiesExport,
  steps: (properties) => propertySteps(properties, {
    scenario: payment,
    params: { workers: 1, orders: 1 },
    buggy: { variant: 'ack-after', bug: 'the double charge' },
    fixed: { variant: 'idempotent', why: 'the gateway charges a redelivered order no second time' },
    reference: 'no-duplicate-charge',
  }),
});
