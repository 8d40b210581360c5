/**
 * Exercise 2, sell the last unit once: the student's buyer replaces the lock-less check-then-act buyer of
 * `inventory / no-lock`, and must never oversell — in any schedule of three buyers racing for one unit, with
 * up to two pauses.
 */
import { inventory } from '../../../models/inventory.ts';
import { defineExercise } from '../exercise.ts';
import { machineExport } from '../exports.ts';
import { submissionScenario } from '../submission-scenario.ts';
import { mustHold } from '../steps.ts';

/** The exercise `02-atomic-stock`. */
export const atomicStock = defineExercise({
  name: '02-atomic-stock',
  export: machineExport('buyer', 'export const buyer = protocolSetup<…>().createMachine(…)'),
  steps: (buyer) => {
    const scenario = submissionScenario(inventory, 'no-lock', { name: 'your-buyer', summary: 'your buyer', machine: () => buyer });
    return [mustHold('three buyers of your kind never sell more than the one unit in stock', { scenario, options: { params: { buyers: 3 } } })];
  },
});
