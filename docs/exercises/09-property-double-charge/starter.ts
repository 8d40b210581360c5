// Exercise 9: write the property that catches a double charge — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 09-property-double-charge my-property.ts
import { eventually, type Property } from 'interleave';

/** Your properties: they must fail on the ack-after worker and hold on the idempotent one. */
export const properties: Property[] = [
  eventually(
    'no-duplicate-charge',
    'each order is charged at most once',
    // TODO: this checks that every order was charged, not that none was charged twice.
    (w) => w.effects.orderIds().every((order) => w.effects.charges(order) >= 1),
    () => 'an order was never charged',
  ),
];
