/**
 * The plain Redis commands the model supports, each a pure function of the key space, its arguments and the
 * server time. A command is compiled once per argument list (options and numbers parsed) into a runner that a
 * checker then calls millions of times. Semantics follow Redis 7 (t_string.c, expire.c, db.c), including which error wins when several
 * apply: option syntax first, then the expire value, then the NX/XX condition.
 */
import { INT64_MAX, INT64_MIN, asciiUpper, parseRedisInteger } from './args.ts';
import { type Entry, KeySpace } from './keyspace.ts';
import { NOT_AN_INTEGER, OVERFLOW, SYNTAX_ERROR, changeOf, invalidExpireTime, unchanged } from './replies.ts';
import type { KeyChange, RedisError, RedisOutcome } from './types.ts';

/** A command with its arguments parsed: executes it on `space` at server time `now`. */
export type Runner = (space: KeySpace, now: number) => RedisOutcome;

/** One command's implementation. */
export interface CommandSpec {
  /** Redis arity, counting the command name: `n` means exactly n arguments, `-n` at least n. */
  readonly arity: number;
  /** Parses `args` (without the command name) into a runner. */
  compile(args: readonly string[]): Runner;
}

/** A command with nothing worth parsing ahead: the runner passes the arguments on. */
const direct = (run: (space: KeySpace, args: readonly string[], now: number) => RedisOutcome) =>
  (args: readonly string[]): Runner => (space, now) => run(space, args, now);

/**
 * Converts a relative expire argument to an absolute server-clock instant, or the error Redis answers.
 * An instant not after `now` is returned as is: PEXPIRE deletes the key then, SET rejects it.
 * The overflow bound is JavaScript's safe-integer range rather than int64: both are far beyond any real TTL.
 */
function expireInstant(command: string, amount: bigint | null, unitMs: number, now: number): number | RedisError {
  if (amount === null) return NOT_AN_INTEGER;
  const at = now + Number(amount) * unitMs;
  return Number.isSafeInteger(at) ? at : invalidExpireTime(command);
}

/** `SET key value [NX|XX] [EX s|PX ms]`: options in any order, case-insensitive; no KEEPTTL, so the TTL is reset. */
function set([key, value, ...options]: readonly string[]): Runner {
  let condition: 'NX' | 'XX' | null = null;
  let ttl: { readonly amount: bigint | null; readonly unitMs: number } | null = null;
  for (let i = 0; i < options.length; i++) {
    const option = asciiUpper(options[i]);
    const next = options[i + 1];
    if ((option === 'NX' || option === 'XX') && condition !== (option === 'NX' ? 'XX' : 'NX')) {
      condition = option;
    } else if ((option === 'EX' || option === 'PX') && next !== undefined) {
      const unitMs = option === 'EX' ? 1000 : 1;
      // Repeating the same unit is allowed (the last one wins); mixing EX and PX is not.
      if (ttl !== null && ttl.unitMs !== unitMs) return () => unchanged(SYNTAX_ERROR);
      ttl = { amount: parseRedisInteger(next), unitMs };
      i++;
    } else {
      return () => unchanged(SYNTAX_ERROR);
    }
  }
  const ttlOption = ttl;
  return (space, now) => {
    let expireAt: number | null = null;
    if (ttlOption !== null) {
      const at = expireInstant('set', ttlOption.amount, ttlOption.unitMs, now);
      if (typeof at !== 'number') return unchanged(at);
      if (at <= now) return unchanged(invalidExpireTime('set'));
      expireAt = at;
    }
    const old = space.live(key, now);
    if ((condition === 'NX' && old !== undefined) || (condition === 'XX' && old === undefined)) return unchanged(null);
    space.put(key, { value, expireAt });
    return { reply: 'OK', changes: changeOf(key, old?.value ?? null, value) };
  };
}

/** `GET key`. */
function get(space: KeySpace, [key]: readonly string[], now: number): RedisOutcome {
  return unchanged(space.live(key, now)?.value ?? null);
}

/**
 * `GETSET key value`: sets the value, drops any TTL, and answers the old value (deprecated since Redis 6.2 for
 * `SET … GET`, but the command of the Redis documentation's old timestamp-lock recipe).
 */
function getset(space: KeySpace, [key, value]: readonly string[], now: number): RedisOutcome {
  const old = space.live(key, now);
  space.put(key, { value, expireAt: null });
  return { reply: old?.value ?? null, changes: changeOf(key, old?.value ?? null, value) };
}

/** `DEL key [key ...]`: the number of live keys removed; a repeated key counts once. */
function del(space: KeySpace, keys: readonly string[], now: number): RedisOutcome {
  const changes: KeyChange[] = [];
  for (const key of keys) {
    const old = space.live(key, now);
    space.delete(key);
    if (old !== undefined) changes.push(...changeOf(key, old.value, null));
  }
  return { reply: changes.length, changes };
}

/** `EXISTS key [key ...]`: counts live keys, a repeated key once per mention. */
function exists(space: KeySpace, keys: readonly string[], now: number): RedisOutcome {
  return unchanged(keys.filter((key) => space.live(key, now) !== undefined).length);
}

/** INCR and DECR: a missing key counts as 0; the TTL is kept. */
function incrementBy(delta: bigint): CommandSpec['compile'] {
  return ([key]) => (space, now) => {
    const old = space.live(key, now);
    const current = old === undefined ? 0n : parseRedisInteger(old.value);
    if (current === null) return unchanged(NOT_AN_INTEGER);
    const next = current + delta;
    if (next < INT64_MIN || next > INT64_MAX) return unchanged(OVERFLOW);
    const entry: Entry = { value: String(next), expireAt: old?.expireAt ?? null };
    space.put(key, entry);
    return { reply: Number(next), changes: changeOf(key, old?.value ?? null, entry.value) };
  };
}

/** `PTTL key`: -2 when missing, -1 without a TTL, else the milliseconds left (0 at the expiry instant). */
function pttl(space: KeySpace, [key]: readonly string[], now: number): RedisOutcome {
  const entry = space.live(key, now);
  if (entry === undefined) return unchanged(-2);
  return unchanged(entry.expireAt === null ? -1 : entry.expireAt - now);
}

/** `PEXPIRE key ms`: 1 when the key exists; a deadline not after `now` deletes it at once (expire.c `checkAlreadyExpired`). */
function pexpire([key, ms]: readonly string[]): Runner {
  const amount = parseRedisInteger(ms);
  return (space, now) => {
    const at = expireInstant('pexpire', amount, 1, now);
    if (typeof at !== 'number') return unchanged(at);
    const old = space.live(key, now);
    if (old === undefined) return unchanged(0);
    if (at <= now) {
      space.delete(key);
      return { reply: 1, changes: changeOf(key, old.value, null) };
    }
    space.put(key, { value: old.value, expireAt: at });
    return unchanged(1);
  };
}

/** The supported commands by upper-case name (EVAL lives in the model, which owns the script registry). */
export const redisCommands: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  ['SET', { arity: -3, compile: set }],
  ['GET', { arity: 2, compile: direct(get) }],
  ['GETSET', { arity: 3, compile: direct(getset) }],
  ['DEL', { arity: -2, compile: direct(del) }],
  ['EXISTS', { arity: -2, compile: direct(exists) }],
  ['INCR', { arity: 2, compile: incrementBy(1n) }],
  ['DECR', { arity: 2, compile: incrementBy(-1n) }],
  ['PTTL', { arity: 2, compile: direct(pttl) }],
  // Redis 6's PEXPIRE; Redis 7's NX/XX/GT/LT flags are not modelled, so extra arguments are an arity error.
  ['PEXPIRE', { arity: 3, compile: pexpire }],
]);
