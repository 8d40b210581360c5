/**
 * Exercise 7, find the skew threshold: the least clock offset (`--max-skew`, each node's clock within ±that
 * many ms of true time) at which the timestamp lock of `clock-skew / timestamp-lock` lets two buyers oversell,
 * with a lock timeout of 3,000 ms. Graded by the threshold bisection itself over the two values that decide it:
 * the answer must fail (a shortest counterexample) and the value below it hold (every state visited).
 */
import { clockSkew } from '../../../models/clock-skew.ts';
import { threshold } from '../../api/threshold.ts';
import { defineExercise, type GradeStep } from '../exercise.ts';
import { answerExport } from '../exports.ts';
import { GRADE_MAX_STATES } from '../steps.ts';

/** The lock timeout of the exercise, ms (the scenario's default, 5,000, is the one the README works out). */
const TTL_MS = 3000;

/** Whether `answer` is the least failing skew, by bisecting over [answer − 1, answer]: two exhaustive searches. */
function gradeAnswer(answer: number): GradeStep {
  const claim = `--max-skew ${answer} is the least skew at which two buyers oversell under the timestamp lock (ttl ${TTL_MS} ms)`;
  const found = threshold(clockSkew, {
    variant: 'timestamp-lock', bound: 'max-skew', from: answer - 1, to: answer, params: { buyers: 2, ttl: TTL_MS }, maxStates: GRADE_MAX_STATES,
  });
  switch (found.outcome) {
    case 'found': return { claim, check: found.check, passed: true };
    case 'holds': return { claim, check: found.check, passed: false, reason: `at ${answer} no schedule oversells (every state visited, above): too low` };
    case 'fails-at-from': return { claim, check: found.check, passed: false, reason: `it oversells already at ${answer - 1} (the schedule above): too high` };
    case 'inconclusive': return { claim, check: found.check, passed: false, reason: 'the search stopped at a bound before deciding' };
  }
}

/** The exercise `07-skew-threshold`. */
export const skewThreshold = defineExercise({
  name: '07-skew-threshold',
  export: answerExport,
  steps: (answer) => [() => gradeAnswer(answer)],
});
