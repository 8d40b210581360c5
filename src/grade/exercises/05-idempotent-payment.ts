/**
 * Exercise 5, charge once: the student's payment worker replaces the workers of `payment / idempotent`, and
 * every paid order must be charged exactly once — two workers, one crash, two pauses, and RabbitMQ redelivering
 * whatever was not acked.
 */
import { payment } from '../../../models/payment.ts';
import { defineExercise } from '../exercise.ts';
import { machineExport } from '../exports.ts';
import { submissionScenario } from '../submission-scenario.ts';
import { mustHold } from '../steps.ts';

/** The exercise `05-idempotent-payment`. */
export const idempotentPayment = defineExercise({
  name: '05-idempotent-payment',
  export: machineExport('worker', 'export const worker = consumerSetup<…>().createMachine(…)'),
  steps: (worker) => {
    const scenario = submissionScenario(payment, 'idempotent', { name: 'your-worker', summary: 'your payment worker', machine: () => worker });
    return [mustHold('every paid order is charged exactly once by two of your workers', { scenario, options: { params: { workers: 2, orders: 1 } } })];
  },
});
