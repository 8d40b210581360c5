/**
 * compare-and-delete: release a lock only while it is still ours (the unlock script of the Redis docs'
 * "Distributed Locks with Redis"). KEYS[1] = lock, ARGV[1] = token; replies 1 when it deleted the lock, else 0.
 */
import type { RedisScript } from './index.ts';

/**
 * The compare-and-delete script.
 * @example ['EVAL', 'compare-and-delete', 1, 'lock', token]
 */
export const compareAndDelete: RedisScript = {
  name: 'compare-and-delete',
  numKeys: 1,
  numArgs: 1,
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
  body: (redis, [lock], [token]) => (redis.call('GET', lock) === token ? redis.call('DEL', lock) : 0),
};
