/**
 * The AMQP differential test: one random command sequence runs on the pure broker model and on an
 * amqplib-shaped backend (the embedded broker, or a real RabbitMQ through amqplib), and every step's
 * observation must agree (see observation.ts for what is compared and why). fast-check generates the
 * sequences and shrinks a failing one, which is then cut at the diverging step and made 1-minimal; the report
 * prints that sequence with both observations of its last step. The embedded broker and RabbitMQ are each
 * compared with the model, so when both suites pass they agree with each other too.
 *
 * Each sequence gets its own queues, `interleave-test-<pid>-<n>` and `….dlq`, deleted afterwards (also when it
 * fails); the backend's connection is shared by all sequences.
 */
import type { ChannelModel } from 'amqplib';
import fc from 'fast-check';
import { BrokerModel } from '../../src/world/amqp/broker.ts';
import { ClientWorld } from './client-world.ts';
import { behaviours } from './coverage.ts';
import { type Command, describeCommand, type QueueRole, sequenceArb } from './commands.ts';
import { ModelWorld } from './model-world.ts';
import { differences, type Observation } from './observation.ts';

/** An amqplib-shaped backend to compare with the model. */
export interface Backend {
  /** Its name in failure reports. */
  readonly name: string;
  /** The connection every sequence uses. */
  readonly connection: ChannelModel;
  /** How long a step may take to settle before it is observed as it is (only a divergence waits this long). */
  readonly timeoutMs: number;
}

/** How a comparison runs. */
export interface CompareOptions {
  /** Makes the model to compare with (a test may make one with a rule deliberately wrong). */
  readonly model?: () => BrokerModel;
  /** Collects the behaviours the sequences exercised (see coverage.ts). */
  readonly seen?: Set<string>;
}

/** The first step at which a backend's observation differed from the model's. */
export interface Divergence {
  readonly backend: string;
  /** The sequence up to and including the diverging step. */
  readonly commands: readonly Command[];
  readonly expected: Observation;
  readonly actual: Observation;
  /** The differing fields, `field: model ≠ backend`. */
  readonly differences: readonly string[];
}

let sequences = 0;

/** Fresh queue names for one sequence. */
function queueNames(): Record<QueueRole, string> {
  const q = `interleave-test-${process.pid}-${++sequences}`;
  return { q, dlq: `${q}.dlq` };
}

/**
 * Runs `commands` on the model and on `backend`, and returns the first divergence, or `null`.
 * @example await compare([{ op: 'publish', queue: 'q' }], backend) // null
 */
export async function compare(commands: readonly Command[], backend: Backend, options: CompareOptions = {}): Promise<Divergence | null> {
  const expected = new ModelWorld(options.model?.() ?? new BrokerModel()).run(commands);
  for (const behaviour of behaviours(commands, expected)) options.seen?.add(behaviour);
  const world = await ClientWorld.open(backend.connection, queueNames(), backend.timeoutMs);
  try {
    for (const [i, command] of commands.entries()) {
      const actual = await world.step(command, expected[i]);
      const differing = differences(expected[i], actual);
      if (differing.length > 0) {
        return { backend: backend.name, commands: commands.slice(0, i + 1), expected: expected[i], actual, differences: differing };
      }
    }
    return null;
  } finally {
    await world.dispose();
  }
}

/**
 * A divergence as a report: the numbered sequence, then both observations of the last step.
 * @example formatDivergence(divergence) // 'model and embedded diverge at step 3 of:\n  1. publish to q\n ...'
 */
export function formatDivergence(divergence: Divergence): string {
  const { backend, commands, expected, actual } = divergence;
  const show = (o: Observation) => JSON.stringify(o, null, 1).replace(/\n\s*/g, ' ');
  return [
    `model and ${backend} diverge at step ${commands.length} of:`,
    ...commands.map((c, i) => `  ${i + 1}. ${describeCommand(c)}`),
    `model:   ${show(expected)}`,
    `${backend}: ${show(actual)}`,
    ...divergence.differences.map((d) => `  ${d}`),
  ].join('\n');
}

/** Random sequences are up to this many commands long. */
const MAX_LENGTH = 30;

/**
 * Runs `numRuns` random sequences (from `seed`) on the model and `backend`. On a divergence, fast-check shrinks
 * the sequence; the result is then cut at the diverging step and reduced until removing any one step makes the
 * divergence disappear (1-minimal), and returned. `null` when all agree.
 * @example const divergence = await checkFidelity(backend, { numRuns: 1000, seed: 1 })
 */
export async function checkFidelity(backend: Backend, options: CompareOptions & { numRuns: number; seed: number }): Promise<Divergence | null> {
  const property = fc.asyncProperty(sequenceArb(MAX_LENGTH), async (commands) => (await compare(commands, backend, options)) === null);
  const details = await fc.check(property, { numRuns: options.numRuns, seed: options.seed });
  if (!details.failed) return null;
  if (details.counterexample === null) throw details.errorInstance; // the harness itself failed
  const divergence = await compare(details.counterexample[0], backend, options);
  if (divergence === null) throw new Error(`a divergence did not reproduce: ${JSON.stringify(details.counterexample[0])}`);
  return oneMinimal(divergence, backend, options);
}

/** Removes steps one at a time, keeping each removal after which the sequence still diverges, until none does. */
async function oneMinimal(divergence: Divergence, backend: Backend, options: CompareOptions): Promise<Divergence> {
  for (const i of divergence.commands.keys()) {
    const smaller = await compare(divergence.commands.toSpliced(i, 1), backend, options);
    if (smaller !== null) return oneMinimal(smaller, backend, options);
  }
  return divergence;
}
