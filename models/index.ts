/** The registry of built-in scenarios, in the order `list` and `check --all` show them. */
import type { Scenario } from '../src/scenario.ts';
import { inventory } from './inventory.ts';
import { orderCreate } from './order-create.ts';
import { payment } from './payment.ts';
import { orderConfirm } from './order-confirm.ts';
import { checkout } from './checkout.ts';
import { redlockScenario } from './redlock.ts';
import { clockSkew } from './clock-skew.ts';

/**
 * Every built-in scenario.
 * @example scenarios.map((s) => s.name) // ['inventory', 'order-create', 'payment', …]
 */
export const scenarios: readonly Scenario[] = [inventory, orderCreate, payment, orderConfirm, checkout, redlockScenario, clockSkew];

export { inventory, orderCreate, payment, orderConfirm, checkout, redlockScenario, clockSkew };
