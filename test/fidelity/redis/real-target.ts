/**
 * A real Redis (7.0 or later) as a differential target, through ioredis. Its clock cannot be set, so a planned
 * advance of the clock is realised in one of two ways:
 * - `shift`: rewrite every key's expiry d ms earlier, so the whole sequence runs in one pipeline, at once.
 *   This is faithful because every modelled command sees time only through `expireAt - now` of the keys it
 *   touches (whether a key is live, PTTL, the TTL INCR keeps): moving `now` forward by d and moving every
 *   `expireAt` back by d leave all of those the same. PEXPIRETIME/PEXPIREAT move the absolute expiry, so the
 *   shift reads no clock and loses no millisecond (PTTL then PEXPIRE pttl-d would lose the ms between its two
 *   reads), and one EVAL shifts all keys atomically. An expiry shifted to or before the real now deletes the
 *   key (expire.c `checkAlreadyExpired`), as the model's clock passing it does.
 * - `sleep`: really wait until each planned instant, so real expiry itself is what gets compared.
 * Either way the real clock also runs while commands travel, by at most the run's measured lag: plans keep
 * expiries `slackMs` away from every command and PTTL is compared within the lag (differential.ts).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisReply } from '../../../src/world/redis/types.ts';
import { type RedisTarget, type TargetRun, wireCommand } from './differential.ts';
import type { PlannedStep } from './plan.ts';
import { KEYS } from './sequences.ts';

/** Slack of `shift` runs: a pipelined sequence takes a few ms; this leaves room for a loaded machine. */
const SHIFT_SLACK_MS = 500;
/** Slack of `sleep` runs: timers fire a ms or two late on an idle machine. */
const SLEEP_SLACK_MS = 100;

/** Moves the expiry of every key in KEYS ARGV[1] ms earlier; keys without a TTL keep none. */
const SHIFT_LUA = `for _, key in ipairs(KEYS) do
  local at = redis.call('PEXPIRETIME', key)
  if at > 0 then redis.call('PEXPIREAT', key, at - tonumber(ARGV[1])) end
end
return 0`;

/** The location Redis appends to an error raised inside a script; the model's errors have none. */
const SCRIPT_LOCATION = / script: \w+, on @user_script:\d+\.$/;

/** Reads a pipeline entry in the model's shape. Needs `stringNumbers` (integers as text) and a `*Buffer` call (bulk strings as Buffers), so the two stay apart and big integers stay exact. */
function modelReply([error, result]: [Error | null, unknown]): RedisReply {
  if (error !== null) return { error: error.message.replace(SCRIPT_LOCATION, '') };
  if (result === null) return null;
  if (Buffer.isBuffer(result)) return result.toString();
  if (typeof result === 'string') return Number(result);
  throw new Error(`unexpected reply from Redis: ${String(result)}`);
}

/** Waits until `performance.now()` reaches `instant` (never earlier, which a lone timer may be). */
async function sleepUntil(instant: number): Promise<void> {
  for (let left = instant - performance.now(); left > 0; left = instant - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}

/**
 * A connection to a real Redis whose commands all carry a per-run key prefix (`interleave-test:<pid>-<hex>:`),
 * with the two targets that use it.
 * @example const redis = await RealRedis.open(REDIS_URL); try { await compare(redis.target('shift'), steps) } finally { await redis.close() }
 */
export class RealRedis {
  private constructor(private readonly client: Redis, readonly prefix: string) {}

  /**
   * Connects to `url` with a fresh key prefix.
   * @example await RealRedis.open('redis://127.0.0.1:6379')
   */
  static async open(url: string): Promise<RealRedis> {
    const prefix = `interleave-test:${process.pid}-${randomBytes(4).toString('hex')}:`;
    const client = new Redis(url, { keyPrefix: prefix, stringNumbers: true, maxRetriesPerRequest: 1 });
    await client.ping();
    return new RealRedis(client, prefix);
  }

  /**
   * The target that realises the planned clock by shifting expiries (`shift`) or by sleeping (`sleep`).
   * @example redis.target('sleep').run(plan)
   */
  target(clock: 'shift' | 'sleep'): RedisTarget {
    return clock === 'shift'
      ? { name: 'real Redis', slackMs: SHIFT_SLACK_MS, run: (plan) => this.runShifting(plan) }
      : { name: 'real Redis (sleeping)', slackMs: SLEEP_SLACK_MS, run: (plan) => this.runSleeping(plan) };
  }

  /** One pipeline: reset, then per step a shift of `advance` ms (when there is one) and the command. */
  private async runShifting(plan: readonly PlannedStep[]): Promise<TargetRun> {
    const pipeline = this.client.pipeline().del(...KEYS);
    for (const step of plan) {
      if (step.advance > 0) pipeline.eval(SHIFT_LUA, KEYS.length, ...KEYS, step.advance);
      const [name, ...args] = wireCommand(step.command);
      pipeline.callBuffer(String(name), ...args);
    }
    const start = performance.now();
    const entries = (await pipeline.exec()) ?? [];
    const lagMs = Math.ceil(performance.now() - start) + 1; // + 1: Redis's clock counts whole ms
    const replies: RedisReply[] = [];
    let entry = 1; // after the DEL
    for (const step of plan) {
      if (step.advance > 0) {
        const [error] = entries[entry++];
        if (error !== null) throw new Error(`shifting the clock failed (Redis 7.0+ is needed): ${error.message}`);
      }
      replies.push(modelReply(entries[entry++]));
    }
    return { replies, lagMs };
  }

  /** Command by command, each sent once the real clock has reached its planned instant. */
  private async runSleeping(plan: readonly PlannedStep[]): Promise<TargetRun> {
    await this.client.del(...KEYS);
    const start = performance.now();
    let lag = 0;
    const replies: RedisReply[] = [];
    for (const step of plan) {
      await sleepUntil(start + step.at);
      const [name, ...args] = wireCommand(step.command);
      const entries = (await this.client.pipeline().callBuffer(String(name), ...args).exec()) ?? [];
      replies.push(modelReply(entries[0]));
      lag = Math.max(lag, performance.now() - (start + step.at));
    }
    return { replies, lagMs: Math.ceil(lag) + 1 };
  }

  /**
   * Deletes every key this connection made (the targets touch only KEYS under the prefix) and disconnects.
   * @example afterAll(() => redis.close())
   */
  async close(): Promise<void> {
    try {
      await this.client.del(...KEYS);
    } finally {
      this.client.disconnect();
    }
  }
}
