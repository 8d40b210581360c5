/**
 * The kinds of export an exercise asks for — a lock protocol, a protocol machine, properties, a number — each
 * with the check of its shape, so a student who exports the wrong thing gets one line saying what is wrong.
 */
import { StateMachine, type AnyStateMachine } from 'xstate';
import type { LockProtocol } from '../../models/lock-client.ts';
import type { Property, WorldView } from '../../properties/property.ts';
import { UsageError } from '../check/prepare.ts';
import { ExportProblem, type ExportSpec } from './exercise.ts';

/** `a string`, `an array`, `null`, …: what a value is, for messages. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * `export const lock: LockProtocol`: an object with a name and the fragments `acquire`, `checkpoint`, `release`.
 * @example lockExport.parse(naiveLock) // naiveLock
 */
export const lockExport: ExportSpec<LockProtocol> = {
  name: 'lock',
  declaration: 'export const lock: LockProtocol',
  parse(value) {
    if (!isObject(value)) return new ExportProblem(`'lock' is ${kindOf(value)}, not a LockProtocol`);
    const missing = ['acquire', 'checkpoint', 'release'].filter((f) => typeof value[f] !== 'function');
    if (missing.length > 0) return new ExportProblem(`'lock' has no ${missing.join(', ')} function${missing.length > 1 ? 's' : ''}`);
    if (typeof value.name !== 'string') return new ExportProblem("'lock' has no name");
    return value as unknown as LockProtocol;
  },
};

/**
 * `export const NAME = …createMachine(…)`: an xstate machine, the role it plays named in `declaration`.
 * @example machineExport('buyer', 'export const buyer = protocolSetup<…>().createMachine(…)')
 */
export function machineExport(name: string, declaration: string): ExportSpec<AnyStateMachine> {
  return {
    name,
    declaration,
    parse: (value) => (value instanceof StateMachine
      ? value as AnyStateMachine
      : new ExportProblem(`'${name}' is ${kindOf(value)}, not an xstate machine (made by createMachine)`)),
  };
}

/**
 * A student's property, made safe to run: a predicate that throws stops the grading with one line naming it,
 * instead of an internal error.
 */
function guarded(property: Property): Property {
  const run = <R>(what: string, f: (w: WorldView) => R) => (w: WorldView): R => {
    try {
      return f(w);
    } catch (error) {
      throw new UsageError(`property '${property.name}' threw in its ${what} at t=${w.now}${w.step ? ` after ${w.step.command.join(' ')}` : ''}: ${(error as Error).message ?? String(error)}`);
    }
  };
  return { ...property, test: run('test', property.test), explain: run('explain', property.explain) };
}

const KINDS: readonly Property['kind'][] = ['always', 'sometimes', 'eventually'];

/**
 * `export const properties: Property[]`: made with `always`, `sometimes` or `eventually`, at least one of them
 * an `always` or `eventually` (a `sometimes` alone can never catch a bug).
 * @example propertiesExport.parse([always('x', 'x holds', () => true, () => '')])
 */
export const propertiesExport: ExportSpec<Property[]> = {
  name: 'properties',
  declaration: 'export const properties: Property[]',
  parse(value) {
    if (!Array.isArray(value)) return new ExportProblem(`'properties' is ${kindOf(value)}, not an array of properties`);
    const bad = value.findIndex((p) => !isObject(p) || typeof p.name !== 'string' || !KINDS.includes(p.kind as Property['kind']) || typeof p.test !== 'function' || typeof p.explain !== 'function');
    if (bad >= 0) return new ExportProblem(`properties[${bad}] is not a property (make it with always, sometimes or eventually)`);
    const properties = value as Property[];
    if (!properties.some((p) => p.kind !== 'sometimes')) return new ExportProblem("'properties' has no always or eventually property, so it can never catch a bug");
    return properties.map(guarded);
  },
};

/**
 * `export const answer: number`: a positive whole number.
 * @example answerExport.parse(1501) // 1501
 */
export const answerExport: ExportSpec<number> = {
  name: 'answer',
  declaration: 'export const answer: number',
  parse: (value) => (typeof value === 'number' && Number.isInteger(value) && value > 0
    ? value
    : new ExportProblem(`'answer' is ${typeof value === 'number' ? value : kindOf(value)}, not a positive whole number of ms`)),
};
