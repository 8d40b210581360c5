/**
 * What a property is and what it may look at. A property is a named predicate over the world as it stands
 * after a step (plus that step itself). An `always` property must hold after every step of every run; a
 * `sometimes` property must hold after some step of some run — it proves the scenario reaches the interesting
 * state, so that a model that never sells anything cannot pass "no oversell". An `eventually` property (liveness)
 * must hold when a run quiesces — faults have stopped, crashed services were restarted, and nothing more can
 * happen — so "every accepted order is charged" is judged on the run's final state.
 */
import type { Command } from '../models/protocol.ts';
import type { KeyChange } from '../src/world/redis/types.ts';

/** A process as properties see it. */
export interface ProcessView {
  /** Process name, e.g. `A`. */
  readonly name: string;
  /** Whether it has arrived, is running, finished, or crashed. */
  readonly status: 'absent' | 'running' | 'done' | 'crashed';
  /** True while the process believes it is inside its critical section (its state carries the `critical` tag). */
  readonly inCritical: boolean;
  /** A service a supervisor restarts (a consumer, a relay): its waiting for work is idling, not being stuck. */
  readonly service: boolean;
  /** The machine's context (for lock clients: token, fence, ...). */
  readonly context: Readonly<Record<string, unknown>>;
}

/** The step just taken, when it was a command. */
export interface StepView {
  /** Index of the process that took the step. */
  readonly proc: number;
  /** The command it ran. */
  readonly command: Command;
  /** The reply it got. */
  readonly reply: unknown;
  /** Keys the command changed. */
  readonly changes: readonly KeyChange[];
}

/** The shop's external systems (payment gateway, orders table, confirmation mailer), read-only. */
export interface EffectsView {
  /** Every order id in the orders table, in creation order. */
  orderIds(): readonly string[];
  /** True when the orders table has `order`. */
  hasOrder(order: string): boolean;
  /** How many charges the gateway made for `order`. */
  charges(order: string): number;
  /** The order of every charge made, in charge order (an order charged twice appears twice). */
  chargedOrders(): readonly string[];
  /** How many confirmations were sent for `order`. */
  confirmations(order: string): number;
}

/** The world after a step, read-only. */
export interface WorldView {
  /** True time in ms. */
  readonly now: number;
  /** A Redis key's value as the server sees it now, `null` if absent or expired. */
  get(key: string): string | null;
  /** All processes, in scenario order. */
  readonly processes: readonly ProcessView[];
  /** The step just taken, or `null` after time passed, an arrival or a fault. */
  readonly step: StepView | null;
  /** The payment gateway, orders table and mailer. */
  readonly effects: EffectsView;
}

/** A named predicate the checker evaluates after every step. */
export interface Property {
  /** Kebab-case name, e.g. `no-oversell`; `sometimes` properties start with `reaches-`. */
  readonly name: string;
  /**
   * `always`: must hold after every step; `sometimes`: must hold after some step of some run; `eventually`:
   * must hold at the end of every run that quiesces.
   */
  readonly kind: 'always' | 'sometimes' | 'eventually';
  /** One sentence for people. */
  readonly description: string;
  /** True when the predicate holds in `world`. */
  test(world: WorldView): boolean;
  /** The state that breaks an `always` or `eventually` property, for the report (only called when `test` is false). */
  explain(world: WorldView): string;
  /**
   * The Redis keys the property reads, when they are all it reads (not processes, not the step itself): the
   * checker then re-evaluates it only after a command that changed one of them, or after anything that was
   * not a command (time passing may expire a key). `undefined`: re-evaluate after every step.
   */
  readonly keys?: readonly string[];
}

/**
 * Defines an `always` property; `keys`, if given, are the only Redis keys it reads (see `Property.keys`).
 * @example always('stock-non-negative', 'stock never goes below 0', (w) => Number(w.get('stock')) >= 0, (w) => `stock=${w.get('stock')}`)
 */
export function always(name: string, description: string, test: (w: WorldView) => boolean, explain: (w: WorldView) => string, keys?: readonly string[]): Property {
  return { name, kind: 'always', description, test, explain, keys };
}

/**
 * Defines a `sometimes` property: some run must reach a state where `test` holds; `keys` as for `always`.
 * @example sometimes('reaches-sale', 'some buyer completes a sale', (w) => Number(w.get('sold')) >= 1)
 */
export function sometimes(name: string, description: string, test: (w: WorldView) => boolean, keys?: readonly string[]): Property {
  return { name, kind: 'sometimes', description, test, explain: () => `never reached: ${description}`, keys };
}

/**
 * Defines an `eventually` property (liveness): it must hold once a run quiesces, when faults have stopped and
 * nothing more can happen.
 * @example eventually('order-charged', 'order-1 is charged', (w) => w.effects.charges('order-1') >= 1, () => 'order-1 never charged')
 */
export function eventually(name: string, description: string, test: (w: WorldView) => boolean, explain: (w: WorldView) => string): Property {
  return { name, kind: 'eventually', description, test, explain };
}

/**
 * A Redis integer value, 0 when absent.
 * @example always('stock-not-negative', 'stock never below 0', (w) => intValue(w, 'stock') >= 0)
 */
export function intValue(world: WorldView, key: string): number {
  return Number(world.get(key) ?? 0);
}
