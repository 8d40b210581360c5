/**
 * Random Redis command sequences for the differential tests: SET (NX/XX, PX/EX), GET, GETSET, DEL, EXISTS, INCR,
 * DECR, PTTL, PEXPIRE and EVAL of every named script, over three keys, at instants spread over longer than a TTL.
 *
 * Two scopes. `redis` is everything the model claims to answer as Redis 7 does, edge cases included; it runs
 * against real Redis. `mock` stays inside the part where ioredis-mock agrees with Redis, because the mock
 * departs from it in these places:
 * - Expiry boundary: the mock expires a key when `expireAt <= now` (expires.js `isExpired`), Redis when
 *   `now > expireAt` (db.c `keyIsExpired`). The runner never holds the clock at a key's expiry instant
 *   (plan.ts); model.test.ts pins that instant instead.
 * - INCR/DECR parse with `Number()` and store `NaN` instead of answering "not an integer": values stay integers.
 * - SET accepts `PX`/`EX` <= 0 and `PX` together with `EX` without an error, and reads options upper-case only:
 *   SET is sent with upper-case options and one positive TTL.
 * - SET with EX/PX on a key whose TTL has lapsed but which the mock has not purged yet loses the write (set.js
 *   stores the value, then its expire() sees the old lapsed TTL and deletes it): the mock target touches the
 *   key first (mock-target.ts).
 * - A script's Lua `false` comes back as JS `false` where Redis replies nil (the mock target normalises it),
 *   and the mock has no `redis.error_reply`, so fencing tokens and fences stay integers.
 */
import fc from 'fast-check';
import type { RedisCommand } from '../../../src/world/redis/types.ts';

/** The keys every sequence works on. Real-Redis runs prefix them (real-target.ts). */
export const KEYS = ['lock', 'stock', 'fence'] as const;

/**
 * One generated step: send `command` at instant `at`. Steps carry instants rather than the time since the
 * previous step so that shrinking can drop a step without moving the ones after it.
 */
export interface Step {
  /** Ms since the start of the sequence; steps run in order of instant, ties in order (see plan.ts). */
  readonly at: number;
  /** The command; EVAL names a script of `redisScripts` in place of its Lua text. */
  readonly command: RedisCommand;
}

/** Which commands to generate: those ioredis-mock answers as Redis does, or every form the model claims. */
export type Scope = 'mock' | 'redis';

/** Longest TTL generated: long next to the real time a pipelined sequence takes (a few ms). */
const MAX_TTL_MS = 20_000;

/** Values that are integers within everything's reach. */
const PLAIN_VALUES = ['-1', '0', '1', '2', '10'];
/**
 * Values only real Redis handles as the model does: not integers in Redis's strict sense, beyond int64 (an error
 * inside decr-if-positive's DECR), or at the int64 edge (DECR of the minimum overflows). Not the maximum: decr-if-positive would return about 2^63, and Redis casts a
 * script's Lua number (a double) to int64 with C's `(long long)`, undefined beyond int64 (x86-64 answers -2^63,
 * arm64 2^63 - 1), so no model can agree everywhere; model.test.ts pins INCR's overflow instead.
 */
const EDGE_VALUES = ['x', '', '007', '-0', '99999999999999999999', '-9223372036854775808'];
/** TTL arguments that are errors: not positive for SET, not integers for anything. */
const BAD_TTLS = [0, -1, '1.5', 'x'];

/** The arbitraries of one scope. */
function vocabulary(scope: Scope) {
  const edgy = <T, U>(plain: fc.Arbitrary<T>, edge: readonly U[]): fc.Arbitrary<T | U> =>
    scope === 'mock' ? plain : fc.oneof({ weight: 5, arbitrary: plain }, { weight: 1, arbitrary: fc.constantFrom(...edge) });
  return {
    value: edgy(fc.constantFrom(...PLAIN_VALUES), EDGE_VALUES),
    /** A PEXPIRE or compare-and-extend TTL in ms: Redis accepts any integer there (<= 0 deletes the key). */
    pexpireMs: edgy(fc.integer({ min: -5, max: MAX_TTL_MS }), ['x', '1.5']),
    setExpiry: edgy(
      fc.oneof(
        fc.constant([]),
        fc.integer({ min: 1, max: MAX_TTL_MS }).map((ms) => ['PX', ms]),
        fc.integer({ min: 1, max: MAX_TTL_MS / 1000 }).map((s) => ['EX', s]),
      ),
      // Errors, and a repeated unit, where the last one wins.
      [...BAD_TTLS.flatMap((ttl) => [['PX', ttl], ['EX', ttl]]), ['PX'], ['EX', 1, 'PX', 1000], ['PX', 1, 'PX', 5000]],
    ),
    /** Option words as sent: upper-case for the mock, either case for Redis (which reads them case-insensitively). */
    lowerCaseOptions: scope === 'mock' ? fc.constant(false) : fc.boolean(),
  };
}

/** `SET key value` with a condition and an expiry in either order. */
function setCommand(scope: Scope, key: fc.Arbitrary<string>): fc.Arbitrary<RedisCommand> {
  const { value, setExpiry, lowerCaseOptions } = vocabulary(scope);
  const condition = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom([], ['NX'], ['XX']) },
    { weight: 1, arbitrary: fc.constant(['NX', 'XX']) },
  );
  return fc
    .record({ key, value, condition, expiry: setExpiry, conditionFirst: fc.boolean(), lowerCase: lowerCaseOptions })
    .map(({ key, value, condition, expiry, conditionFirst, lowerCase }): RedisCommand => {
      const options = conditionFirst ? [...condition, ...expiry] : [...expiry, ...condition];
      return ['SET', key, value, ...options.map((o) => (lowerCase && typeof o === 'string' ? o.toLowerCase() : o))];
    });
}

/** An EVAL of a named script. */
function evalCommand(name: string, scriptKeys: fc.Arbitrary<string[]>, args: fc.Arbitrary<(string | number)[]>) {
  return fc.tuple(scriptKeys, args).map(([ks, as]): RedisCommand => ['EVAL', name, ks.length, ...ks, ...as]);
}

/** Single commands of `scope`, weighted towards the lock and stock commands. */
function commands(scope: Scope): fc.Arbitrary<RedisCommand> {
  const { value, pexpireMs } = vocabulary(scope);
  const key = fc.constantFrom(...KEYS);
  const keys = fc.array(key, { minLength: 1, maxLength: 2 });
  return fc.oneof(
    { weight: 4, arbitrary: setCommand(scope, key) },
    { weight: 2, arbitrary: key.map((k): RedisCommand => ['GET', k]) },
    { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]): RedisCommand => ['GETSET', k, v]) },
    { weight: 1, arbitrary: keys.map((ks): RedisCommand => ['DEL', ...ks]) },
    { weight: 1, arbitrary: keys.map((ks): RedisCommand => ['EXISTS', ...ks]) },
    { weight: 1, arbitrary: key.map((k): RedisCommand => ['INCR', k]) },
    { weight: 1, arbitrary: key.map((k): RedisCommand => ['DECR', k]) },
    { weight: 2, arbitrary: key.map((k): RedisCommand => ['PTTL', k]) },
    { weight: 1, arbitrary: fc.tuple(key, pexpireMs).map(([k, ms]): RedisCommand => ['PEXPIRE', k, ms]) },
    { weight: 2, arbitrary: evalCommand('compare-and-delete', fc.tuple(key), fc.tuple(value)) },
    { weight: 2, arbitrary: evalCommand('compare-and-extend', fc.tuple(key), fc.tuple(value, pexpireMs)) },
    { weight: 2, arbitrary: evalCommand('decr-if-positive', fc.tuple(key), fc.constant([])) },
    { weight: 2, arbitrary: evalCommand('fenced-get', fc.tuple(key, key), fc.tuple(value)) },
    { weight: 2, arbitrary: evalCommand('fenced-set', fc.tuple(key, key), fc.tuple(value, value)) },
  );
}

/** Steps come in bursts this far apart: a few fit in the longest TTL, and a whole sequence outlives it. */
const BURST_MS = 3_000;

/** A step's instant: a burst, then within it often the burst's own instant, often a few ms later, sometimes more. */
const instant = fc
  .tuple(
    fc.integer({ min: 0, max: 8 }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 100 }) },
      { weight: 2, arbitrary: fc.integer({ min: 101, max: BURST_MS - 1 }) },
    ),
  )
  .map(([burst, offset]) => burst * BURST_MS + offset);

/**
 * Sequences of up to 30 steps of `scope`; fast-check shrinks them to fewer steps, earlier instants and simpler
 * commands.
 * @example fc.assert(agreementProperty(target, stepSequences('redis')))
 */
export function stepSequences(scope: Scope): fc.Arbitrary<Step[]> {
  // minLength 0, although an empty sequence proves little: fast-check's array shrinker drops steps by keeping a
  // suffix of what follows the steps it keeps, so only a length that may reach 0 lets it drop the steps after a
  // divergence (with minLength 1 one such step always stays).
  return fc.array(fc.record({ at: instant, command: commands(scope) }), { maxLength: 30, size: 'medium' });
}
