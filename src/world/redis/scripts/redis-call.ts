/** The model's `redis.call`: how a script's TypeScript twin runs commands, so that no twin re-implements one. */
import type { RedisModel } from '../model.ts';
import { isRedisError, type KeyChange, type RedisError, type RedisOutcome, type RedisReply } from '../types.ts';
import type { RedisScript } from './index.ts';

/** Thrown by a failing `call` to unwind the body; caught by {@link runScript} only. */
class ScriptAbort {
  constructor(readonly reply: RedisError) {}
}

/**
 * What a twin's body sees as `redis`: `redis.call(...)` runs one command on the model at the script's instant
 * and returns its reply; an error reply aborts the whole script, as in Lua.
 * @example new ScriptRedis(model, now).call('GET', 'stock') // what a script's redis.call('GET', 'stock') sees
 */
export class ScriptRedis {
  /** The changes of every call so far, in order. */
  readonly changes: KeyChange[] = [];

  constructor(private readonly model: RedisModel, private readonly now: number) {}

  /**
   * Runs one command, as Lua's `redis.call`.
   * @example redis.call('GET', 'lock') === token ? redis.call('DEL', 'lock') : 0
   */
  call(...cmd: (string | number)[]): Exclude<RedisReply, RedisError> {
    const { reply, changes } = this.model.execOnce(cmd, this.now);
    this.changes.push(...changes);
    if (isRedisError(reply)) throw new ScriptAbort(reply);
    return reply;
  }
}

/**
 * Runs `script`'s twin against `model` as EVAL does: atomically, with time frozen at `now` for every call, and
 * with the changes of all calls reported in order. A failing call ends the script with that call's error (real
 * Redis adds the script location to the text); earlier writes stay, since Redis scripts do not roll back.
 * @example runScript(model, 0, compareAndDelete, ['lock'], ['a'])
 */
export function runScript(model: RedisModel, now: number, script: RedisScript, keys: readonly string[], args: readonly string[]): RedisOutcome {
  const redis = new ScriptRedis(model, now);
  try {
    return { reply: script.body(redis, keys, args), changes: redis.changes };
  } catch (error) {
    if (error instanceof ScriptAbort) return { reply: error.reply, changes: redis.changes };
    throw error;
  }
}
