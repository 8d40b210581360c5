/** At most one order per cart: however often checkout is submitted, the cart becomes one order. */
import { always, intValue, sometimes, type Property } from './property.ts';

/**
 * `one-order-per-cart` over the order counter `ordersKey`, paired with `reaches-order`.
 * @example oneOrderPerCart('orders:cart-42')
 */
export function oneOrderPerCart(ordersKey: string): Property[] {
  return [
    always('one-order-per-cart', 'a cart becomes at most one order', (w) => intValue(w, ordersKey) <= 1,
      (w) => `${intValue(w, ordersKey)} orders created for one cart (${ordersKey}=${w.get(ordersKey)})`, [ordersKey]),
    sometimes('reaches-order', 'an order is created', (w) => intValue(w, ordersKey) >= 1, [ordersKey]),
  ];
}
