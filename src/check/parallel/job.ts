/**
 * A search as another thread can rebuild it. Machines, properties and setup functions cannot cross a thread
 * boundary, but everything they are built from can: a built-in scenario's name, the variant, its parameters and
 * seed (preparation is deterministic), the properties' names, and the plain-data part of a run's setup.
 */
import { scenarios } from '../../../models/index.ts';
import type { Property } from '../../../properties/property.ts';
import type { RunSetup } from '../../sim/run-setup.ts';
import type { Params } from '../../scenario.ts';
import { findVariant, prepare, runSetup, UsageError, type Prepared } from '../prepare.ts';

/** A prepared variant and the properties a search checks, by name. */
export interface SearchJob {
  /** A built-in scenario's name. */
  readonly scenario: string;
  /** The variant. */
  readonly variant: string;
  /** Every parameter's value. */
  readonly params: Params;
  /** The seed the instance was built from. */
  readonly seed: number;
  /** The properties the search checks, in priority order. */
  readonly properties: readonly string[];
}

/** The part of a run's setup that is plain data: all of it but what the prepared variant gives. */
export type SetupData = Omit<RunSetup, 'processes' | 'setup' | 'queues'>;

/**
 * The job of searching `prepared` against `properties`; a `UsageError` unless its scenario is a built-in one,
 * which is all another thread can find again.
 * @example jobOf(prepared, prepared.instance.properties).properties // ['no-oversell', …, 'no-deadlock']
 */
export function jobOf(prepared: Prepared, properties: readonly Property[]): SearchJob {
  if (!scenarios.includes(prepared.scenario)) {
    throw new UsageError(`only built-in scenarios can be searched on worker threads ('${prepared.scenario.name}' is not one: a thread finds a scenario by its name)`);
  }
  const { params, seed } = prepared;
  return { scenario: prepared.scenario.name, variant: prepared.variant.name, params, seed, properties: properties.map((p) => p.name) };
}

/**
 * Prepares the job's variant again, and finds its properties.
 * @example const { prepared, properties } = rebuild(job)
 */
export function rebuild(job: SearchJob): { prepared: Prepared; properties: Property[] } {
  const scenario = scenarios.find((s) => s.name === job.scenario)!;
  const prepared = prepare(scenario, findVariant(scenario, job.variant), job.params, job.seed);
  const properties = job.properties.map((name) => prepared.instance.properties.find((p) => p.name === name)!);
  return { prepared, properties };
}

/** The plain-data part of `setup`. */
export function setupData(setup: RunSetup): SetupData {
  const { processes: _processes, setup: _commands, queues: _queues, ...data } = setup;
  return data;
}

/** The setup that `data` was taken from, for `prepared`. */
export function setupFrom(prepared: Prepared, data: SetupData): RunSetup {
  return { ...runSetup(prepared, data.clocks, data.faults), ...data };
}
