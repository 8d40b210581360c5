/**
 * The model's side of a differential run: the instant each command runs at and the reply the model gives
 * there. The instants keep every key's expiry at least `slackMs` away, so that a server whose clock is up to
 * `slackMs` off the model's instants still sees the same keys live and gone.
 */
import type { RedisModel } from '../../../src/world/redis/model.ts';
import type { RedisCommand, RedisReply } from '../../../src/world/redis/types.ts';
import { KEYS, type Step } from './sequences.ts';

/** One command of a run, placed in time, with the model's reply. */
export interface PlannedStep {
  /** Model instant in ms since the start of the sequence. */
  readonly at: number;
  /** Ms since the previous step. */
  readonly advance: number;
  /** The command. */
  readonly command: RedisCommand;
  /** The model's reply. */
  readonly expected: RedisReply;
  /** Keys whose TTL ran out since the previous step, in expiry order. */
  readonly expired: readonly string[];
  /** True for the closing reads (GET and PTTL of every key) that compare the end state. */
  readonly final: boolean;
}

/**
 * The first instant from `t` on at which no key's expiry instant lies within `slackMs` of it either way. With
 * `slackMs` 0 that only avoids a key's own expiry instant, where ioredis-mock and Redis differ (sequences.ts).
 * @example clearOfExpiries(model, 1000, 0) // 1001 when a key expires at 1000
 */
export function clearOfExpiries(model: RedisModel, t: number, slackMs: number): number {
  let at = t;
  for (;;) {
    const near = model.expiriesBetween(at - slackMs, at + slackMs + 1);
    if (near.length === 0) return at;
    at = near[near.length - 1].at + slackMs + 1;
  }
}

/**
 * Runs `steps` on `model` (fresh) in order of instant, then reads GET and PTTL of every key; each command runs
 * at its instant or, if an earlier command was moved later or an expiry lies within `slackMs`, at the first
 * instant after that is clear. Returns every command with its instant and the model's reply.
 * @example planRun(new RedisModel(), [{ at: 0, command: ['INCR', 'lock'] }], 0)[0].expected // 1
 */
export function planRun(model: RedisModel, steps: readonly Step[], slackMs: number): PlannedStep[] {
  const plan: PlannedStep[] = [];
  let previous = 0;
  const place = (wanted: number, command: RedisCommand, final: boolean) => {
    const at = clearOfExpiries(model, Math.max(wanted, previous), slackMs);
    const expired = model.expiriesBetween(previous, at).map((e) => e.key);
    plan.push({ at, advance: at - previous, command, expected: model.exec(command, at).reply, expired, final });
    previous = at;
  };
  // Array.prototype.sort is stable: steps at one instant keep their order.
  for (const { at, command } of [...steps].sort((a, b) => a.at - b.at)) place(at, command, false);
  for (const key of KEYS) {
    place(previous, ['GET', key], true);
    place(previous, ['PTTL', key], true);
  }
  return plan;
}
