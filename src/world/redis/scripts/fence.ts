/**
 * The fencing check shared by fenced-get and fenced-set (Kleppmann, "How to do distributed locking"): the store
 * remembers the highest token it accepted in KEYS[2] and rejects a lower one with `STALE`. Both scripts put the
 * fence at KEYS[2] and the token at ARGV[1], which the Lua below relies on.
 */
import type { RedisReply } from '../types.ts';
import type { ScriptRedis } from './redis-call.ts';

/** A decimal integer as the Lua accepts it (`^%-?%d+$`); both sides then compare as doubles, as Lua 5.1 does. */
const INTEGER = /^-?[0-9]+$/;

/**
 * The Lua prelude: returns `STALE` (or an error for a non-integer token or fence), else sets the fence to the
 * token and falls through to the script's own last line.
 */
export const fenceLua = `local function integer(text)
  if text and string.match(text, '^%-?%d+$') then return tonumber(text) end
end
local token = integer(ARGV[1])
if not token then return redis.error_reply('ERR fencing token is not an integer') end
local fence = redis.call('GET', KEYS[2])
local highest = 0
if fence then
  highest = integer(fence)
  if not highest then return redis.error_reply('ERR fence is not an integer') end
end
if token < highest then return 'STALE' end
redis.call('SET', KEYS[2], ARGV[1])`;

/** Parses like the Lua `integer` helper: `null` where it returns nil. */
function integer(text: string): number | null {
  return INTEGER.test(text) ? Number(text) : null;
}

/**
 * The TypeScript twin of {@link fenceLua}: the reply to end the script with, or `undefined` when the token
 * passed and the fence now holds it.
 * @example passFence(redis, 'fence', token) ?? redis.call('GET', 'stock')
 */
export function passFence(redis: ScriptRedis, fenceKey: string, token: string): RedisReply | undefined {
  const tokenValue = integer(token);
  if (tokenValue === null) return { error: 'ERR fencing token is not an integer' };
  const fence = redis.call('GET', fenceKey);
  let highest = 0;
  if (typeof fence === 'string') {
    const fenceValue = integer(fence);
    if (fenceValue === null) return { error: 'ERR fence is not an integer' };
    highest = fenceValue;
  }
  if (tokenValue < highest) return 'STALE';
  redis.call('SET', fenceKey, token);
  return undefined;
}
