/**
 * Exercise 3, add fencing: the student's buyer replaces the fenced buyer of `inventory / fenced`: it must never
 * oversell, even when it pauses past its lock's expiry, and the stock store must refuse its stale writes — in
 * any schedule of two buyers with up to two pauses. `reaches-stale-rejected` must be reached: a fix that never
 * presents a token to the store is not fencing.
 */
import { inventory } from '../../../models/inventory.ts';
import { defineExercise } from '../exercise.ts';
import { machineExport } from '../exports.ts';
import { keepOnly, submissionScenario } from '../submission-scenario.ts';
import { mustHold } from '../steps.ts';

/** The exercise `03-fencing`. */
export const fencing = defineExercise({
  name: '03-fencing',
  export: machineExport('buyer', 'export const buyer = lockedMachine(…)'),
  steps: (buyer) => {
    const scenario = submissionScenario(inventory, 'fenced', {
      name: 'your-buyer', summary: 'your fenced buyer', machine: () => buyer,
      properties: keepOnly('no-oversell', 'reaches-sale', 'fencing-monotonic', 'reaches-stale-rejected'),
    });
    return [mustHold('your buyers never oversell, and the store refuses a stale token', { scenario, options: { params: { buyers: 2 } } })];
  },
});
