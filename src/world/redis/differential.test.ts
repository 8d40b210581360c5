/**
 * Differential test: random command sequences run on the model and on ioredis-mock, with the mock's clock held
 * at the model's server instants; every reply must match. Scripts run as their Lua text on the mock (fengari)
 * and as their TypeScript twins on the model, so this also holds each twin to its Lua.
 *
 * Where ioredis-mock departs from Redis the generator stays inside the part where both agree:
 * - Expiry boundary: the mock expires a key when `expireAt <= now` (expires.js `isExpired`), Redis when
 *   `now > expireAt` (db.c `keyIsExpired`). The model follows Redis, so the clock is never held exactly at a
 *   key's expiry instant here; model.test.ts pins that instant instead.
 * - INCR/DECR parse with `Number()` and store `NaN` instead of answering "not an integer": values stay integers.
 * - SET accepts `PX`/`EX` <= 0 and `PX` together with `EX` without an error, and reads options upper-case only:
 *   SET is sent with upper-case options and one positive TTL (model.test.ts covers the rest).
 * - SET with EX/PX on a key whose TTL has lapsed but which the mock has not purged yet loses the write: set.js
 *   stores the value, then its expire() call runs `data.has(key)`, which sees the old lapsed TTL and deletes the
 *   value just written. The test touches the key first (EXISTS purges it, as Redis's lazy expiry would).
 * - A script's Lua `false` (what `redis.call` gives for nil) comes back as JS `false`, where Redis replies nil:
 *   normalised below. The mock has no `redis.error_reply`, so tokens and fences stay integers.
 */
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisModel } from './model.ts';
import { redisScripts } from './scripts/index.ts';
import type { RedisCommand, RedisReply } from './types.ts';

const KEYS = ['lock', 'stock', 'fence'] as const;
const START = 1_700_000_000_000;

const key = fc.constantFrom(...KEYS);
const keys = fc.array(key, { minLength: 1, maxLength: 2 });
const value = fc.constantFrom('-1', '0', '1', '2', '10');
const ttlMs = fc.integer({ min: 1, max: 2500 });

const setCommand = fc
  .record({
    key,
    value,
    condition: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom([], ['NX'], ['XX']) },
      { weight: 1, arbitrary: fc.constant(['NX', 'XX']) },
    ),
    expiry: fc.oneof(
      fc.constant([]),
      ttlMs.map((ms) => ['PX', ms]),
      fc.integer({ min: 1, max: 2 }).map((s) => ['EX', s]),
    ),
    conditionFirst: fc.boolean(),
  })
  .map(({ key, value, condition, expiry, conditionFirst }): RedisCommand => [
    'SET', key, value, ...(conditionFirst ? [...condition, ...expiry] : [...expiry, ...condition]),
  ]);

/** An EVAL of a named script; the mock gets the script's Lua text in place of the name. */
function evalCommand(name: string, scriptKeys: fc.Arbitrary<string[]>, args: fc.Arbitrary<(string | number)[]>) {
  return fc.tuple(scriptKeys, args).map(([ks, as]): RedisCommand => ['EVAL', name, ks.length, ...ks, ...as]);
}

const command: fc.Arbitrary<RedisCommand> = fc.oneof(
  { weight: 4, arbitrary: setCommand },
  { weight: 2, arbitrary: key.map((k): RedisCommand => ['GET', k]) },
  { weight: 1, arbitrary: keys.map((ks): RedisCommand => ['DEL', ...ks]) },
  { weight: 1, arbitrary: keys.map((ks): RedisCommand => ['EXISTS', ...ks]) },
  { weight: 1, arbitrary: key.map((k): RedisCommand => ['INCR', k]) },
  { weight: 1, arbitrary: key.map((k): RedisCommand => ['DECR', k]) },
  { weight: 2, arbitrary: key.map((k): RedisCommand => ['PTTL', k]) },
  { weight: 1, arbitrary: fc.tuple(key, fc.integer({ min: -5, max: 2500 })).map(([k, ms]): RedisCommand => ['PEXPIRE', k, ms]) },
  { weight: 2, arbitrary: evalCommand('compare-and-delete', fc.tuple(key), fc.tuple(value)) },
  { weight: 2, arbitrary: evalCommand('compare-and-extend', fc.tuple(key), fc.tuple(value, fc.integer({ min: -5, max: 2500 }))) },
  { weight: 2, arbitrary: evalCommand('decr-if-positive', fc.tuple(key), fc.constant([])) },
  { weight: 2, arbitrary: evalCommand('fenced-get', fc.tuple(key, key), fc.tuple(value)) },
  { weight: 2, arbitrary: evalCommand('fenced-set', fc.tuple(key, key), fc.tuple(value, value)) },
);

/** Time between commands: often none (same instant), often a little, sometimes past a TTL. */
const advance = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 50 }) },
  { weight: 2, arbitrary: fc.integer({ min: 51, max: 3000 }) },
);

const sequence = fc.array(fc.record({ advance, command }), { minLength: 1, maxLength: 30, size: 'medium' });

/** The first instant from `t` on at which no key sits exactly at its expiry instant (see the header). */
function offBoundary(model: RedisModel, t: number): number {
  let at = t;
  while (KEYS.some((k) => model.expireAt(k) === at)) at++;
  return at;
}

type MockMethods = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/** Sends `cmd` to the mock, with a script's Lua text in place of its name. */
function send(mock: Redis, [name, ...args]: RedisCommand): Promise<unknown> {
  if (name !== 'EVAL') return (mock as unknown as MockMethods)[String(name).toLowerCase()](...args);
  const [script, numKeys, ...rest] = args;
  return mock.eval(redisScripts.get(String(script))!.lua, numKeys, ...rest);
}

/** The mock's reply to `cmd` in the model's shape. */
async function mockReply(mock: Redis, cmd: RedisCommand): Promise<RedisReply> {
  if (cmd[0] === 'SET') await mock.exists(String(cmd[1]));
  try {
    const reply = await send(mock, cmd);
    return reply === false ? null : (reply as RedisReply);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('RedisModel against ioredis-mock', () => {
  let mock: Redis;

  beforeAll(() => {
    // ioredis-mock reads the wall clock for every TTL; hold it at the model's instants.
    vi.useFakeTimers({ toFake: ['Date'] });
    // Mocks share data per host:port/db (a module-wide map); a port of its own keeps this test's keys apart.
    mock = new RedisMock({ port: 16_379 });
  });

  afterAll(() => {
    mock.disconnect();
    vi.useRealTimers();
  });

  it('answers 1,000 random command sequences exactly as ioredis-mock does', async () => {
    await fc.assert(
      fc.asyncProperty(sequence, async (steps) => {
        await mock.flushall();
        const model = new RedisModel();
        let now = START;
        const check = async (cmd: RedisCommand, label: string) => {
          vi.setSystemTime(now);
          const expected = model.exec(cmd, now).reply;
          expect(await mockReply(mock, cmd), `${label} ${JSON.stringify(cmd)} at +${now - START} ms`).toEqual(expected);
        };
        for (const [i, { advance, command }] of steps.entries()) {
          now = offBoundary(model, now + advance);
          await check(command, `step ${i}`);
        }
        // The end state must agree too, value and TTL of every key.
        for (const k of KEYS) {
          await check(['GET', k], 'final');
          await check(['PTTL', k], 'final');
        }
      }),
      { seed: 20_240_611, numRuns: 1000 },
    );
  }, 60_000); // ~7 s alone; fengari builds a Lua VM per EVAL, so leave room on a loaded machine
});
