/**
 * fenced-set: write the stock on behalf of a fencing token, the store-side half of Kleppmann's fix. KEYS[1] =
 * stock, KEYS[2] = fence, ARGV[1] = token, ARGV[2] = value; replies `STALE` when the token is below the fence,
 * else records the token as the fence, SETs the stock (clearing any TTL) and replies `OK`.
 */
import { fenceLua, passFence } from './fence.ts';
import type { RedisScript } from './index.ts';

/**
 * The fenced-set script.
 * @example ['EVAL', 'fenced-set', 2, 'stock', 'fence', token, 0]
 */
export const fencedSet: RedisScript = {
  name: 'fenced-set',
  numKeys: 2,
  numArgs: 2,
  lua: `${fenceLua}
return redis.call('SET', KEYS[1], ARGV[2])`,
  body: (redis, [stock, fence], [token, value]) => passFence(redis, fence, token) ?? redis.call('SET', stock, value),
};
