/**
 * The named Lua scripts. A protocol sends `['EVAL', name, numKeys, ...keys, ...args]`; the checker runs the
 * script's TypeScript twin on the model, the real runner sends its Lua text with EVAL. Each script keeps both
 * side by side in its own file, and the differential test holds them to the same replies.
 */
import type { RedisReply } from '../types.ts';
import type { ScriptRedis } from './redis-call.ts';
import { compareAndDelete } from './compare-and-delete.ts';
import { compareAndExtend } from './compare-and-extend.ts';
import { decrIfPositive } from './decr-if-positive.ts';
import { fencedGet } from './fenced-get.ts';
import { fencedSet } from './fenced-set.ts';

/**
 * A Lua script with its TypeScript twin.
 * @example redisScripts.get('compare-and-delete')!.lua // the text to send with EVAL
 */
export interface RedisScript {
  /** Kebab-case name used in place of the Lua text in EVAL commands. */
  readonly name: string;
  /** The Lua source a real Redis runs. */
  readonly lua: string;
  /** How many KEYS it takes. */
  readonly numKeys: number;
  /** How many ARGV it takes. */
  readonly numArgs: number;
  /** The twin: what the Lua does, with `redis.call` on the model; returns what the Lua returns. */
  body(redis: ScriptRedis, keys: readonly string[], args: readonly string[]): RedisReply;
}

/**
 * The built-in scripts by name.
 * @example redisScripts.get('fenced-set')?.numKeys // 2
 */
export const redisScripts: ReadonlyMap<string, RedisScript> = new Map(
  [compareAndDelete, compareAndExtend, decrIfPositive, fencedGet, fencedSet].map((script) => [script.name, script]),
);
