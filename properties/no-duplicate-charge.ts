/**
 * No duplicate charge: the payment gateway charges each order at most once — the canonical failure of
 * at-least-once delivery (a crash between the charge and the ack, a redelivery, a second charge). Paired with
 * `reaches-charge`, so a consumer that never charges anything cannot pass.
 */
import { always, sometimes, type Property, type WorldView } from './property.ts';

/** The first order charged more than once, or `null`. */
function doubleCharged(world: WorldView): string | null {
  const seen = new Set<string>();
  for (const order of world.effects.chargedOrders()) {
    if (seen.has(order)) return order;
    seen.add(order);
  }
  return null;
}

/**
 * The no-duplicate-charge property and its `sometimes` partner.
 * @example noDuplicateCharge() // [no-duplicate-charge, reaches-charge]
 */
export function noDuplicateCharge(): Property[] {
  return [
    always('no-duplicate-charge', 'each order is charged at most once', (w) => doubleCharged(w) === null, (w) => {
      const order = doubleCharged(w)!;
      return `${order} charged ${w.effects.charges(order)} times`;
    }),
    sometimes('reaches-charge', 'some order is charged', (w) => w.effects.chargedOrders().length > 0),
  ];
}
