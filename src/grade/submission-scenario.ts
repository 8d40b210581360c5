/**
 * A built-in scenario with the student's work put in: one variant, built exactly as a built-in variant is
 * built (the same processes, inputs, queues and set-up), with some processes' machines replaced by the
 * student's, or its properties replaced by the student's. So an exercise never re-implements a scenario: the
 * student's buyer meets the same stock and rivals as the `inventory` scenario's, the student's worker the same
 * queue and crashes as the `payment` scenario's.
 */
import type { AnyStateMachine } from 'xstate';
import type { Instance, ProcessSpec, Scenario } from '../scenario.ts';
import type { Property } from '../../properties/property.ts';
import { findVariant } from '../check/prepare.ts';

/** What to put into the built variant. */
export interface Submission {
  /** The new variant's name, e.g. `your-lock`. */
  readonly name: string;
  /** One line: what it is. */
  readonly summary: string;
  /** The machine a process runs instead of its own; `undefined` keeps its own. */
  readonly machine?: (process: ProcessSpec) => AnyStateMachine | undefined;
  /** The properties checked instead of the variant's own, given those. */
  readonly properties?: (own: Instance['properties']) => readonly Property[];
}

/**
 * `scenario` with the one variant `submission`, built as its variant `from` is.
 * @example submissionScenario(inventory, 'naive-lock', { name: 'your-lock', summary: 'your lock', machine: () => buyer })
 */
export function submissionScenario(scenario: Scenario, from: string, submission: Submission): Scenario {
  const base = findVariant(scenario, from);
  return {
    ...scenario,
    variants: [{
      name: submission.name,
      summary: submission.summary,
      expected: 'holds',
      build: (params, prng) => {
        const built = base.build(params, prng);
        return {
          ...built,
          processes: built.processes.map((p) => ({ ...p, machine: submission.machine?.(p) ?? p.machine })),
          properties: submission.properties?.(built.properties) ?? built.properties,
        };
      },
    }],
  };
}

/**
 * A `properties` choice that keeps only the variant's own properties of the given names (their keys and
 * parameters are the scenario's, so an exercise need not know them).
 * @example submissionScenario(inventory, 'naive-lock', { name: 'your-lock', summary: '…', properties: keepOnly('no-foreign-release', 'reaches-own-release') })
 */
export function keepOnly(...names: string[]): (own: Instance['properties']) => readonly Property[] {
  return (own) => {
    const kept = own.filter((p) => names.includes(p.name));
    if (kept.length !== names.length) throw new Error(`the variant has no property ${names.filter((n) => !kept.some((p) => p.name === n)).join(', ')}`);
    return kept;
  };
}
