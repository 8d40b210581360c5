// A run's Redis servers as connections (src/run/redis-fleet.ts), without servers: how many URLs `--redis` may
// list and which server each URL serves, ioredis-mocks with keys of their own on the embedded backend, and the
// judge placing each host's commands on their own (one host's order says nothing of another's).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/check/prepare.ts';
import { Namespace } from '../src/run/namespace.ts';
import { RedisFleet, redisUrls, urlOfServer } from '../src/run/redis-fleet.ts';
import { placeOnHosts, placeRedisCommands } from '../src/run/redis-replay.ts';
import { perfectClock } from '../src/sim/clock.ts';
import { addressedServer, RedisServers } from '../src/sim/redis-servers.ts';

const list = (n: number) => Array.from({ length: n }, (_, i) => `redis://127.0.0.1:${7001 + i}`).join(',');

describe('redisUrls and urlOfServer', () => {
  it('takes one URL, one per lock instance, or one per server', () => {
    expect(redisUrls(undefined, 6, '--redis')).toEqual(['redis://127.0.0.1:6379']);
    expect(redisUrls(list(5), 6, '--redis')).toHaveLength(5);
    expect(redisUrls(` ${list(6).replaceAll(',', ' , ')} `, 6, '--redis')).toEqual(list(6).split(','));
    expect(urlOfServer(1, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(urlOfServer(5, 6)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(urlOfServer(6, 6)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses any other count, and empty entries, in one line naming where the list came from', () => {
    expect(() => redisUrls(list(2), 6, 'REDIS_URL')).toThrow(new UsageError('REDIS_URL has 2 URLs for 6 Redis servers (redis, redis-1, redis-2, redis-3, redis-4, redis-5): give 1 (every server a key space on it), 5 (one per lock instance, redis beside redis-1) or 6 (one per server)'));
    expect(() => redisUrls(list(2), 1, '--redis')).toThrow(new UsageError('--redis has 2 URLs for one Redis server (redis): give 1'));
    expect(() => redisUrls('redis://a,', 6, '--redis')).toThrow(/^--redis has an empty URL in its list 'redis:\/\/a,'$/);
  });
});

describe('RedisFleet on the embedded backend', () => {
  it('gives every server an ioredis-mock with keys of its own, and routes each command to its server\'s', async () => {
    const fleet = await RedisFleet.open('embedded', undefined, 6);
    const ns = new Namespace();
    try {
      expect(fleet.hosts.map((h) => h.name)).toEqual(['redis', 'redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5']);
      expect(fleet.label).toBe('an ioredis-mock per server (redis, redis-1, redis-2, redis-3, redis-4, redis-5)');
      await fleet.host(['@2', 'SET', 'k', 'v']).connection.exec(['SET', ns.key('k', 2), 'v']);
      await fleet.host(['SET', 'stock', 1]).connection.exec(['SET', ns.key('stock'), 1]);
      expect(await fleet.host(['@3', 'GET', 'k']).connection.exec(['GET', ns.key('k', 2)])).toBeNull();
      expect(await fleet.host(['GET', 'k']).connection.exec(['GET', ns.key('k', 2)])).toBeNull();
      expect(await fleet.host(['@2', 'GET', 'k']).connection.exec(['GET', ns.key('k', 2)])).toBe('v');
      expect(await fleet.persistentKeys(ns)).toEqual(new Map([['@2:k', 'v'], ['stock', '1']]));
      await fleet.deleteMatching(ns.keyPattern);
      expect(await fleet.keys(ns.keyPattern)).toEqual([]);
    } finally {
      await fleet.close();
    }
  });

  it('keeps one mock for a scenario with one server, labelled as before', async () => {
    const fleet = await RedisFleet.open('embedded', 'ignored', 1);
    expect([fleet.hosts.length, fleet.label, fleet.labels()]).toEqual([1, 'ioredis-mock', { redis: 'ioredis-mock' }]);
    await fleet.close();
  });
});

describe('placeOnHosts', () => {
  // redis-1 holds a lock until 45, redis-2 until 30. The history recorded the SET on redis-1 first (its reply came
  // first), yet it can only have run after 45, and the one on redis-2, refused, before 30.
  const initial = () => {
    const s = RedisServers.on([perfectClock, perfectClock, perfectClock]);
    s.exec(['@1', 'SET', 'lock', 'x', 'PX', 45], 0);
    s.exec(['@2', 'SET', 'lock', 'y', 'PX', 30], 0);
    return s;
  };
  const commands = [
    { command: ['@1', 'SET', 'lock', 'a', 'NX', 'PX', 100], reply: 'OK', sent: 0, answered: 50 },
    { command: ['@2', 'SET', 'lock', 'b', 'NX', 'PX', 100], reply: null, sent: 10, answered: 60 },
  ];

  it('places each host\'s commands in that host\'s order only', () => {
    expect(placeOnHosts(initial(), commands, 1, (c) => addressedServer(c.command))).toEqual([{ at: 50, agrees: true }, { at: 10, agrees: true }]);
  });

  it('is one serial order when one host serves both servers', () => {
    expect(placeOnHosts(initial(), commands, 1, () => 0)).toEqual(placeRedisCommands(initial(), commands, 1));
    expect(placeRedisCommands(initial(), commands, 1).map((p) => p.agrees)).toEqual([true, false]);
  });
});
