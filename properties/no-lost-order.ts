/**
 * No lost order (liveness): once faults stop and crashed services have restarted, every accepted order (a row
 * in the orders table) has been charged exactly once and/or confirmed exactly once. Judged at the end of runs
 * that quiesce, so it catches what no single step shows: a message acked before its work and then lost to a
 * crash, an order committed and never published.
 */
import { eventually, type Property, type WorldView } from './property.ts';

/** What "processed" means for an order in a scenario. */
export interface Processing {
  /** Every accepted order is charged exactly once. */
  readonly charged: boolean;
  /** Every accepted order is confirmed exactly once. */
  readonly confirmed: boolean;
}

/** What is wrong with the first order not processed exactly once, or `null`. */
function shortfall(world: WorldView, processing: Processing): string | null {
  for (const order of world.effects.orderIds()) {
    const charges = world.effects.charges(order);
    const confirmations = world.effects.confirmations(order);
    if (processing.charged && charges !== 1) return `${order} charged ${charges} times`;
    if (processing.confirmed && confirmations !== 1) return `the shopper of ${order} got ${confirmations} confirmations`;
  }
  return null;
}

/**
 * The no-lost-order property for the given meaning of "processed".
 * @example noLostOrder({ charged: true, confirmed: false }) // [no-lost-order]
 */
export function noLostOrder(processing: Processing): Property[] {
  const what = [processing.charged && 'charged', processing.confirmed && 'confirmed'].filter(Boolean).join(' and ');
  return [
    eventually('no-lost-order', `once faults stop, every accepted order is ${what} exactly once`, (w) => shortfall(w, processing) === null,
      (w) => `the run is over and ${shortfall(w, processing)}`),
  ];
}
