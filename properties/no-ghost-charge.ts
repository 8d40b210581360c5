/**
 * No ghost charge: the gateway never charges an order the orders table does not have — what happens when a
 * payment message is published before the order is committed, and the commit never comes (or comes late).
 */
import { always, type Property, type WorldView } from './property.ts';

const ghost = (world: WorldView) => world.effects.chargedOrders().find((order) => !world.effects.hasOrder(order)) ?? null;

/**
 * The no-ghost-charge property.
 * @example noGhostCharge() // [no-ghost-charge]
 */
export function noGhostCharge(): Property[] {
  return [
    always('no-ghost-charge', 'no charge for an order the orders table does not have', (w) => ghost(w) === null,
      (w) => `${ghost(w)} charged, but there is no such order`),
  ];
}
