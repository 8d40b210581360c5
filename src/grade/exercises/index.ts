/** The registry of graded exercises, in the order `interleave exercises` lists them. */
import { UsageError } from '../../check/prepare.ts';
import type { Exercise } from '../exercise.ts';
import { safeRelease } from './01-safe-release.ts';
import { atomicStock } from './02-atomic-stock.ts';
import { fencing } from './03-fencing.ts';
import { ackAfter } from './04-ack-after.ts';
import { idempotentPayment } from './05-idempotent-payment.ts';
import { propertyDoubleRelease } from './06-property-double-release.ts';
import { skewThreshold } from './07-skew-threshold.ts';
import { outbox } from './08-outbox.ts';
import { propertyDoubleCharge } from './09-property-double-charge.ts';

/** Every exercise. */
export const exercises: readonly Exercise[] = [
  safeRelease, atomicStock, fencing, ackAfter, idempotentPayment, propertyDoubleRelease, skewThreshold, outbox, propertyDoubleCharge,
];

/**
 * Finds an exercise by its name or its number (`01-safe-release`, `01` or `1`), or says which exist.
 * @example findExercise('1').name // '01-safe-release'
 */
export function findExercise(name: string): Exercise {
  const exercise = exercises.find((e) => e.name === name || (/^\d+$/.test(name) && Number(e.name.split('-')[0]) === Number(name)));
  if (!exercise) throw new UsageError(`unknown exercise '${name}' (exercises: ${exercises.map((e) => e.name).join(', ')})`);
  return exercise;
}
