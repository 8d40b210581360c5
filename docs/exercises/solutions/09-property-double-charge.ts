// SPOILER: a reference solution of exercise 9 (docs/exercises/09-property-double-charge). Try the exercise first.
import { always, sometimes, type Property, type WorldView } from 'interleave';

/** An order the gateway charged more than once, or `undefined`. */
const doubled = (w: WorldView) => w.effects.orderIds().find((order) => w.effects.charges(order) > 1);

/** Judged after every step: no order has two charges. Its partner proves that orders do get charged. */
export const properties: Property[] = [
  always('no-duplicate-charge', 'each order is charged at most once', (w) => doubled(w) === undefined,
    (w) => `${doubled(w)} was charged ${w.effects.charges(doubled(w)!)} times`),
  sometimes('reaches-charge', 'some order is charged', (w) => w.effects.chargedOrders().length > 0),
];
