/**
 * Fidelity of the Redis model: random command sequences run on the model, on ioredis-mock and on real Redis,
 * and every reply must agree (test/fidelity/redis/ holds the runner; its sequences.ts lists where the mock departs
 * from Redis and so what the mock's sequences leave out). The model is the pivot: it agrees with the mock on
 * the mock's scope and with real Redis on a scope that contains it, so all three agree there. Scripts run as
 * their Lua text on the mock (fengari) and on Redis and as their TypeScript twins on the model, so this also
 * holds each twin to its Lua.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementProperty, compare, formatComparison } from '../../../test/fidelity/redis/differential.ts';
import { MockTarget } from '../../../test/fidelity/redis/mock-target.ts';
import { RealRedis } from '../../../test/fidelity/redis/real-target.ts';
import { type Step, stepSequences } from '../../../test/fidelity/redis/sequences.ts';
import { REDIS_URL, service } from '../../../test/services.ts';

const redis = await service('redis', REDIS_URL);

describe('RedisModel against ioredis-mock', () => {
  let mock: MockTarget;
  beforeAll(() => {
    mock = MockTarget.open();
  });
  afterAll(() => mock.close());

  it('answers 1,000 random command sequences exactly as ioredis-mock does', async () => {
    await fc.assert(agreementProperty(mock, stepSequences('mock')), { seed: 20_240_611, numRuns: 1000 });
  }, 60_000); // 10-14 s measured; fengari builds a Lua VM per EVAL, so leave room on a loaded machine
});

describe.skipIf(!redis.available)('RedisModel against real Redis', () => {
  let real: RealRedis;
  beforeAll(async () => {
    real = await RealRedis.open(redis.url);
  });
  afterAll(() => real?.close());

  it('answers 1,000 random command sequences as real Redis does, edge cases included', async () => {
    await fc.assert(agreementProperty(real.target('shift'), stepSequences('redis')), { seed: 20_240_611, numRuns: 1000 });
  });

  // Real expiry, with real sleeps: each sequence crosses an expiry, and no command runs within 100 ms of one.
  const crossings: Record<string, Step[]> = {
    'a lock that expired can be taken, and its old owner can no longer release it': [
      { at: 0, command: ['SET', 'lock', 'a', 'NX', 'PX', 300] },
      { at: 150, command: ['SET', 'lock', 'b', 'NX', 'PX', 300] },
      { at: 150, command: ['PTTL', 'lock'] },
      { at: 450, command: ['SET', 'lock', 'b', 'NX', 'PX', 300] },
      { at: 450, command: ['EVAL', 'compare-and-delete', 1, 'lock', 'a'] },
    ],
    'compare-and-extend keeps a lock past its first expiry': [
      { at: 0, command: ['SET', 'lock', 'a', 'PX', 300] },
      { at: 150, command: ['EVAL', 'compare-and-extend', 1, 'lock', 'a', 500] },
      { at: 450, command: ['GET', 'lock'] },
      { at: 850, command: ['EVAL', 'compare-and-extend', 1, 'lock', 'a', 500] },
    ],
    'INCR keeps the TTL, and counts from 0 again once the key expired': [
      { at: 0, command: ['SET', 'fence', 5, 'EX', 1] },
      { at: 300, command: ['INCR', 'fence'] },
      { at: 1200, command: ['INCR', 'fence'] },
    ],
    'PEXPIRE ends a key that had no TTL; decr-if-positive then finds no stock': [
      { at: 0, command: ['SET', 'stock', 3] },
      { at: 0, command: ['PEXPIRE', 'stock', 300] },
      { at: 150, command: ['EVAL', 'decr-if-positive', 1, 'stock'] },
      { at: 450, command: ['EVAL', 'decr-if-positive', 1, 'stock'] },
    ],
  };

  it.each(Object.entries(crossings))('with real sleeps: %s', async (_, steps) => {
    const comparison = await compare(real.target('sleep'), steps);
    expect(comparison.plan.some((step) => step.expired.length > 0), 'the sequence crosses an expiry').toBe(true);
    expect(comparison.firstDifference, formatComparison(comparison)).toBeNull();
  });
});
