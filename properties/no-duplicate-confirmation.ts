/**
 * No duplicate confirmation: each shopper is notified of an order at most once — what a re-published or
 * redelivered confirmation message breaks when the consumer does not deduplicate. Paired with
 * `reaches-confirmation`.
 */
import { always, sometimes, type Property, type WorldView } from './property.ts';

const doubled = (world: WorldView) => world.effects.orderIds().find((order) => world.effects.confirmations(order) > 1) ?? null;

/**
 * The no-duplicate-confirmation property and its `sometimes` partner.
 * @example noDuplicateConfirmation() // [no-duplicate-confirmation, reaches-confirmation]
 */
export function noDuplicateConfirmation(): Property[] {
  return [
    always('no-duplicate-confirmation', 'each order is confirmed to the shopper at most once', (w) => doubled(w) === null,
      (w) => `the shopper of ${doubled(w)} got ${w.effects.confirmations(doubled(w)!)} confirmations`),
    sometimes('reaches-confirmation', 'some order is confirmed', (w) => w.effects.orderIds().some((order) => w.effects.confirmations(order) > 0)),
  ];
}
