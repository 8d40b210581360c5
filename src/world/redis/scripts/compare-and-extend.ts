/**
 * compare-and-extend: renew a lock's TTL only while it is still ours. KEYS[1] = lock, ARGV[1] = token,
 * ARGV[2] = new TTL in ms; replies PEXPIRE's 1 when the lock held the token, else 0.
 */
import type { RedisScript } from './index.ts';

/**
 * The compare-and-extend script.
 * @example ['EVAL', 'compare-and-extend', 1, 'lock', token, 5000]
 */
export const compareAndExtend: RedisScript = {
  name: 'compare-and-extend',
  numKeys: 1,
  numArgs: 2,
  lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
  body: (redis, [lock], [token, ttlMs]) => (redis.call('GET', lock) === token ? redis.call('PEXPIRE', lock, ttlMs) : 0),
};
