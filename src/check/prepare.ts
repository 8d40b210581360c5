/**
 * Turns a scenario variant and its parameters into what runs need: built processes with memoised machines.
 * Machine caches live as long as their machine, so repeated checks of one scenario share every transition.
 */
import type { AnyStateMachine } from 'xstate';
import { MachineCache } from '../sim/machine-cache.ts';
import { createPrng } from '../sim/prng.ts';
import type { FaultBudget } from '../sim/actions.ts';
import type { ClockPlan, CompiledProcess, RunSetup } from '../sim/run-setup.ts';
import type { Instance, Params, Scenario, Variant } from '../scenario.ts';
import { noDeadlock } from '../../properties/no-deadlock.ts';

const caches = new WeakMap<AnyStateMachine, MachineCache>();

/** A variant built for given parameters and seed, ready to run. */
export interface Prepared {
  /** The scenario. */
  readonly scenario: Scenario;
  /** The chosen variant. */
  readonly variant: Variant;
  /** Every parameter's value (defaults filled in). */
  readonly params: Params;
  /** The seed the instance (its tokens) was built from. */
  readonly seed: number;
  /** The built instance. */
  readonly instance: Instance;
  /** Its processes with memoised machines. */
  readonly processes: readonly CompiledProcess[];
  /** How many Redis servers it runs against. */
  readonly servers: number;
}

/**
 * Bad input from a user: unknown scenario, variant, parameter or out-of-range value (exit code 2).
 * @example try { check('nowhere') } catch (e) { if (e instanceof UsageError) console.error(e.message) } // unknown scenario 'nowhere' …
 */
export class UsageError extends Error {
  /** Always `UsageError`. */
  override readonly name = 'UsageError';
}

/** Fills in defaults and validates `given` against the scenario's parameters. */
export function resolveParams(scenario: Scenario, given: Readonly<Record<string, number | undefined>>): Params {
  const params: Record<string, number> = {};
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && !(name in scenario.params)) throw new UsageError(`scenario '${scenario.name}' has no parameter '${name}' (it has: ${Object.keys(scenario.params).join(', ') || 'none'})`);
  }
  for (const [name, spec] of Object.entries(scenario.params)) {
    const value = given[name] ?? spec.default;
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      throw new UsageError(`--${name} must be an integer from ${spec.min} to ${spec.max}, got ${value}`);
    }
    params[name] = value;
  }
  return params;
}

/** Finds a variant by name, or says which exist. */
export function findVariant(scenario: Scenario, name: string): Variant {
  const variant = scenario.variants.find((v) => v.name === name);
  if (!variant) throw new UsageError(`scenario '${scenario.name}' has no variant '${name}' (variants: ${scenario.variants.map((v) => v.name).join(', ')})`);
  return variant;
}

/** Builds `variant` of `scenario` for `params`, with tokens drawn from `seed`. */
export function prepare(scenario: Scenario, variant: Variant, params: Params, seed: number): Prepared {
  const built = variant.build(params, createPrng(seed));
  // Every variant is also checked for deadlock, after its own properties.
  const instance = { ...built, properties: [...built.properties, ...noDeadlock()] };
  const processes = instance.processes.map((p) => {
    let cache = caches.get(p.machine);
    if (!cache) caches.set(p.machine, (cache = new MachineCache(p.machine)));
    return { name: p.name, cache, start: cache.start(p.input), restart: p.restart ?? false, service: p.service ?? p.restart ?? false };
  });
  return { scenario, variant, params, seed, instance, processes, servers: instance.redisServers ?? 1 };
}

/** The setup of one run of `prepared` under the given clocks and fault budget. */
export function runSetup(prepared: Prepared, clocks: ClockPlan, faults: FaultBudget): RunSetup {
  return { processes: prepared.processes, setup: prepared.instance.setup, queues: prepared.instance.queues ?? [], clocks, faults };
}
