/**
 * fenced-get: read the stock on behalf of a fencing token. KEYS[1] = stock, KEYS[2] = fence (highest accepted
 * token), ARGV[1] = token; replies `STALE` when the token is below the fence, else records the token as the
 * fence and replies the stock (nil when absent).
 */
import { fenceLua, passFence } from './fence.ts';
import type { RedisScript } from './index.ts';

/**
 * The fenced-get script.
 * @example ['EVAL', 'fenced-get', 2, 'stock', 'fence', token]
 */
export const fencedGet: RedisScript = {
  name: 'fenced-get',
  numKeys: 2,
  numArgs: 1,
  lua: `${fenceLua}
return redis.call('GET', KEYS[1])`,
  body: (redis, [stock, fence], [token]) => passFence(redis, fence, token) ?? redis.call('GET', stock),
};
