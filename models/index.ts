/** The registry of built-in scenarios, in the order `list` and `check --all` show them. */
import type { Scenario } from '../src/scenario.ts';
import { inventory } from './inventory.ts';
import { orderCreate } from './order-create.ts';

/** Every built-in scenario. */
export const scenarios: readonly Scenario[] = [inventory, orderCreate];

export { inventory, orderCreate };
