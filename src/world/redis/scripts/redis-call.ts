/** The model's `redis.call`: how a script's TypeScript twin runs commands, so that no twin re-implements one. */
import type { RedisModel } from '../model.ts';
import { isRedisError, type KeyChange, type RedisError, type RedisOutcome, type RedisReply } from '../types.ts';

/**
 * `redis.call` inside a twin: runs one command on the model at the script's instant and returns its reply.
 * An error reply aborts the whole script, as in Lua.
 */
export type RedisCall = (...cmd: (string | number)[]) => Exclude<RedisReply, RedisError>;

/** Thrown by a failing `call` to unwind the body; caught by {@link runScript} only. */
class ScriptAbort {
  constructor(readonly reply: RedisError) {}
}

/**
 * Runs a script body against `model` as EVAL does: atomically, with time frozen at `now` for every call, and
 * with the changes of all calls reported in order. A failing call ends the script with that call's error (real
 * Redis adds the script location to the text); earlier writes stay, since Redis scripts do not roll back.
 * @example runScript(model, now, (call) => (call('GET', lock) === token ? call('DEL', lock) : 0))
 */
export function runScript(model: RedisModel, now: number, body: (call: RedisCall) => RedisReply): RedisOutcome {
  const changes: KeyChange[] = [];
  const call: RedisCall = (...cmd) => {
    const { reply, changes: made } = model.execOnce(cmd, now);
    changes.push(...made);
    if (isRedisError(reply)) throw new ScriptAbort(reply);
    return reply;
  };
  try {
    const reply = body(call);
    return { reply, changes };
  } catch (error) {
    if (error instanceof ScriptAbort) return { reply: error.reply, changes };
    throw error;
  }
}
