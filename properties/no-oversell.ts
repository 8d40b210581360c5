/** No oversell: the shop never sells more units than it had, and stock never goes negative. */
import { always, intValue, sometimes, type Property } from './property.ts';

/** Where the inventory keeps its numbers. */
export interface StockKeys {
  /** Units left. */
  readonly stock: string;
  /** Units sold (one `INCR` per sale). */
  readonly sold: string;
}

/**
 * `no-oversell` for a shop that started with `initial` units, paired with `reaches-sale`.
 * @example noOversell({ stock: 'stock', sold: 'sold' }, 1)
 */
export function noOversell(keys: StockKeys, initial: number): Property[] {
  return [
    always(
      'no-oversell',
      `at most ${initial} unit(s) sold and stock never below 0`,
      (w) => intValue(w, keys.sold) <= initial && intValue(w, keys.stock) >= 0,
      (w) => `${intValue(w, keys.sold)} sold with an initial stock of ${initial} (stock=${w.get(keys.stock)}, sold=${w.get(keys.sold)})`,
      [keys.stock, keys.sold],
    ),
    sometimes('reaches-sale', 'some buyer completes a sale', (w) => intValue(w, keys.sold) >= 1, [keys.sold]),
  ];
}
