/**
 * Exercise 4, don't lose the payment: the student's payment worker replaces the workers of
 * `payment / ack-after`, and every paid order must be charged at least once when the run is over — with the
 * worker crashing (and restarted) and pausing. At least once, not exactly once: a charge made twice is
 * exercise 5's bug.
 */
import { payment } from '../../../models/payment.ts';
import { eventually, type Property, type WorldView } from '../../../properties/property.ts';
import { defineExercise } from '../exercise.ts';
import { machineExport } from '../exports.ts';
import { keepOnly, submissionScenario } from '../submission-scenario.ts';
import { mustHold } from '../steps.ts';

/** The first accepted order no charge was made for, or `null`. */
const unchargedOrder = (w: WorldView) => w.effects.orderIds().find((order) => w.effects.charges(order) === 0) ?? null;

/** At least once: when the run is over, every accepted order has been charged, once or more. */
const everyOrderCharged: Property = eventually('every-order-charged', 'once faults stop, every accepted order is charged at least once',
  (w) => unchargedOrder(w) === null, (w) => `the run is over and ${unchargedOrder(w)} was never charged`);

/** The exercise `04-ack-after`. */
export const ackAfter = defineExercise({
  name: '04-ack-after',
  export: machineExport('worker', 'export const worker = consumerSetup<…>().createMachine(…)'),
  steps: (worker) => {
    const scenario = submissionScenario(payment, 'ack-after', {
      name: 'your-worker', summary: 'your payment worker', machine: () => worker,
      properties: (own) => [everyOrderCharged, ...keepOnly('reaches-charge')(own)],
    });
    return [mustHold('every paid order is charged, even when your worker crashes', { scenario, options: { params: { workers: 1, orders: 2 } } })];
  },
});
