/**
 * The differential check shared by the fidelity tests and the seeded-divergence test: a sequence runs on the
 * pure model (which plans it, plan.ts) and on a target server; every reply must agree. A fast-check property
 * wraps it, so a divergence shrinks to a minimal sequence and fails with that sequence and both sides'
 * replies printed as a table.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { RedisModel } from '../../../src/world/redis/model.ts';
import { redisScripts } from '../../../src/world/redis/scripts/index.ts';
import { isRedisError, type RedisCommand, type RedisReply } from '../../../src/world/redis/types.ts';
import { type PlannedStep, planRun } from './plan.ts';
import type { Step } from './sequences.ts';

/** What a target answered to a planned run. */
export interface TargetRun {
  /** One reply per planned step, in the model's shape. */
  readonly replies: readonly RedisReply[];
  /**
   * At most how many ms the target's clock was off the model's instants when it ran a command (0 for a clock
   * set to them). A key's remaining TTL may differ from the model's by that much.
   */
  readonly lagMs: number;
}

/** A Redis that runs planned sequences: ioredis-mock or a real server. */
export interface RedisTarget {
  /** Its name in reports, e.g. `real Redis`. */
  readonly name: string;
  /** How far its clock may be off the model's instants and still be judged; plans keep expiries that far away. */
  readonly slackMs: number;
  /** Resets the target's keys, then runs the planned commands at (or as if at) their instants. */
  run(plan: readonly PlannedStep[]): Promise<TargetRun>;
}

/** One sequence on the model and a target. */
export interface Comparison {
  /** The target's name. */
  readonly target: string;
  /** The model's instants and replies. */
  readonly plan: readonly PlannedStep[];
  /** The target's replies and clock lag. */
  readonly run: TargetRun;
  /** Index into `plan` of the first reply that disagrees, or `null` when all agree. */
  readonly firstDifference: number | null;
}

/** How often a run whose clock lagged more than the slack is repeated before the sequence is called unjudgeable. */
const TRIES = 3;

/**
 * `cmd` as a server receives it: an EVAL of a named script carries the script's Lua text instead of its name.
 * @example wireCommand(['EVAL', 'decr-if-positive', 1, 'stock'])[1] // "local stock = redis.call('GET', KEYS[1]) ..."
 */
export function wireCommand(cmd: RedisCommand): RedisCommand {
  if (cmd[0] !== 'EVAL') return cmd;
  const script = redisScripts.get(String(cmd[1]));
  if (script === undefined) throw new Error(`no script named ${String(cmd[1])}`);
  return ['EVAL', script.lua, ...cmd.slice(2)];
}

/**
 * True when a target's reply agrees with the model's. A PTTL of a live key may differ by the target's clock lag:
 * the real server's milliseconds pass while commands travel.
 */
function agrees(step: PlannedStep, actual: RedisReply, lagMs: number): boolean {
  const { command, expected } = step;
  if (command[0] === 'PTTL' && typeof expected === 'number' && expected >= 0) {
    return typeof actual === 'number' && Math.abs(actual - expected) <= lagMs;
  }
  return isDeepStrictEqual(actual, expected);
}

/**
 * Runs `steps` on a model from `newModel` and on `target`, and finds the first reply where they disagree. A run
 * whose clock lagged more than the target's slack proves nothing (a key near its expiry may have gone either
 * way) and is repeated; after {@link TRIES} such runs this throws.
 * @example (await compare(target, [{ at: 0, command: ['INCR', 'lock'] }])).firstDifference // null
 */
export async function compare(target: RedisTarget, steps: readonly Step[], newModel = () => new RedisModel()): Promise<Comparison> {
  const plan = planRun(newModel(), steps, target.slackMs);
  const lags: number[] = [];
  for (let tries = 0; tries < TRIES; tries++) {
    const run = await target.run(plan);
    if (run.lagMs <= target.slackMs) {
      const firstDifference = plan.findIndex((step, i) => !agrees(step, run.replies[i], run.lagMs));
      return { target: target.name, plan, run, firstDifference: firstDifference < 0 ? null : firstDifference };
    }
    lags.push(run.lagMs);
  }
  throw new Error(`${target.name}'s clock ran ${lags.join(', ')} ms off the model's instants, more than its ${target.slackMs} ms slack: too loaded to judge`);
}

/** A reply as a cell of the report: JSON for values, `(error) ...` for errors. */
function showReply(reply: RedisReply): string {
  return isRedisError(reply) ? `(error) ${reply.error}` : JSON.stringify(reply);
}

/** A command as one would type it, quoting arguments that are empty or contain spaces. */
function showCommand(cmd: RedisCommand): string {
  return cmd.map((word) => (typeof word === 'string' && !/^[\w.:-]+$/.test(word) ? JSON.stringify(word) : String(word))).join(' ');
}

/**
 * The readable report of a comparison: one row per command up to the first difference, with its instant,
 * the keys that expired before it, and both replies.
 * @example formatComparison(comparison) // "ioredis-mock disagrees with the model at step 1 of 1 ..."
 */
export function formatComparison({ target, plan, run, firstDifference }: Comparison): string {
  const steps = plan.filter((step) => !step.final).length;
  const last = firstDifference ?? plan.length - 1;
  const where = firstDifference === null ? 'agrees with the model'
    : `disagrees with the model at ${plan[last].final ? 'the closing read' : `step ${last + 1}`}`;
  const rows = plan.slice(0, last + 1).map((step, i) => [
    step.final ? 'end' : String(i + 1),
    `+${step.at}`,
    showCommand(step.command) + (step.expired.length > 0 ? `   (after ${step.expired.join(', ')} expired)` : ''),
    showReply(step.expected),
    showReply(run.replies[i]),
    i === firstDifference ? '<- differs' : '',
  ]);
  const table = [['step', 'ms', 'command', 'model', target, ''], ...rows];
  const widths = table[0].map((_, col) => Math.max(...table.map((row) => row[col].length)));
  const lines = table.map((row) => `  ${row.map((cell, col) => cell.padEnd(widths[col])).join('  ')}`.trimEnd());
  return [`${target} ${where} (sequence of ${steps} commands, clock lag up to ${run.lagMs} ms):`, ...lines].join('\n');
}

/**
 * The differential property: every sequence from `sequences` gets the same replies from `target` as from a
 * model made by `newModel`. A failure's message is the {@link formatComparison} table of the shrunk sequence.
 * @example await fc.assert(agreementProperty(target, stepSequences('mock')), { numRuns: 1000 })
 */
export function agreementProperty(target: RedisTarget, sequences: fc.Arbitrary<Step[]>, newModel = () => new RedisModel()) {
  return fc.asyncProperty(sequences, async (steps) => {
    const comparison = await compare(target, steps, newModel);
    if (comparison.firstDifference !== null) throw new Error(formatComparison(comparison));
  });
}
