/**
 * decr-if-positive: take one unit of stock atomically, never going below zero (the fix for check-then-act
 * oversell). KEYS[1] = stock; replies the new stock after DECR when it was a positive integer, else -1.
 */
import type { RedisScript } from './index.ts';

/** A positive integer in Redis's strict form; the Lua uses the same pattern, `^[1-9]%d*$`. */
const POSITIVE = /^[1-9][0-9]*$/;

/**
 * The decr-if-positive script.
 * @example ['EVAL', 'decr-if-positive', 1, 'stock']
 */
export const decrIfPositive: RedisScript = {
  name: 'decr-if-positive',
  numKeys: 1,
  numArgs: 0,
  lua: `local stock = redis.call('GET', KEYS[1])
if stock and string.match(stock, '^[1-9]%d*$') then
  return redis.call('DECR', KEYS[1])
end
return -1`,
  body: (redis, [stock]) => {
    const value = redis.call('GET', stock);
    return typeof value === 'string' && POSITIVE.test(value) ? redis.call('DECR', stock) : -1;
  },
};
