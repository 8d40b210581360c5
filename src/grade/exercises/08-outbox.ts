/**
 * Exercise 8, the outbox: the student's order service replaces the shop of `order-confirm / outbox` (an outbox
 * relay and a confirmation worker already run beside it), and every order it records must reach its shopper
 * exactly once — with a crash, a lost publish or confirm, and a pause anywhere.
 */
import { orderConfirm } from '../../../models/order-confirm.ts';
import { defineExercise } from '../exercise.ts';
import { machineExport } from '../exports.ts';
import { submissionScenario } from '../submission-scenario.ts';
import { mustHold } from '../steps.ts';

/** The exercise `08-outbox`. */
export const outbox = defineExercise({
  name: '08-outbox',
  export: machineExport('shop', 'export const shop = protocolSetup<…>().createMachine(…)'),
  steps: (shop) => {
    const scenario = submissionScenario(orderConfirm, 'outbox', {
      name: 'your-shop', summary: 'your order service, with an outbox relay',
      machine: (p) => (p.name === 'shop' ? shop : undefined),
    });
    return [mustHold('every order your service records is confirmed to its shopper exactly once', { scenario, options: { params: { workers: 1 }, pauses: 1 } })];
  },
});
