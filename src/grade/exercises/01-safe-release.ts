/**
 * Exercise 1, make the release safe: the student's lock protocol goes in front of the stock in place of the
 * article's (`inventory / naive-lock`), and its release must never delete another buyer's lock — in any
 * schedule of two buyers with up to two pauses. Only the release is judged: a lock that a pause can still
 * outlive oversells, which is exercise 3's bug.
 */
import { inventory } from '../../../models/inventory.ts';
import { lockedMachine } from '../../../models/locked-machine.ts';
import { plainSection, type BuyerContext } from '../../../models/stock-section.ts';
import { defineExercise } from '../exercise.ts';
import { lockExport } from '../exports.ts';
import { keepOnly, submissionScenario } from '../submission-scenario.ts';
import { mustHold } from '../steps.ts';

/** The exercise `01-safe-release`. */
export const safeRelease = defineExercise({
  name: '01-safe-release',
  export: lockExport,
  steps: (lock) => {
    const buyer = lockedMachine<BuyerContext>('your-lock-buyer', lock, plainSection);
    const scenario = submissionScenario(inventory, 'naive-lock', {
      name: 'your-lock', summary: `your lock (${lock.name}) in front of the stock`,
      machine: () => buyer, properties: keepOnly('no-foreign-release', 'reaches-own-release'),
    });
    return [mustHold("your lock's release never deletes another buyer's lock", { scenario, options: { params: { buyers: 2 } } })];
  },
});
