/** Error replies worded as Redis words them, so model and real server answers compare equal. */
import type { KeyChange, RedisError, RedisOutcome, RedisReply } from './types.ts';

/** `ERR value is not an integer or out of range`: an argument or stored value is not a 64-bit integer. */
export const NOT_AN_INTEGER: RedisError = { error: 'ERR value is not an integer or out of range' };

/** `ERR syntax error`: an unknown or conflicting option. */
export const SYNTAX_ERROR: RedisError = { error: 'ERR syntax error' };

/** `ERR increment or decrement would overflow`: INCR/DECR past the 64-bit range. */
export const OVERFLOW: RedisError = { error: 'ERR increment or decrement would overflow' };

/**
 * The arity error, with the command name lower-cased as Redis 7 prints it.
 * @example wrongArity('GET') // { error: "ERR wrong number of arguments for 'get' command" }
 */
export function wrongArity(command: string): RedisError {
  return { error: `ERR wrong number of arguments for '${command.toLowerCase()}' command` };
}

/**
 * The error for a non-positive or overflowing expire time.
 * @example invalidExpireTime('set') // { error: "ERR invalid expire time in 'set' command" }
 */
export function invalidExpireTime(command: string): RedisError {
  return { error: `ERR invalid expire time in '${command}' command` };
}

/**
 * An outcome that changed nothing.
 * @example unchanged(0) // { reply: 0, changes: [] }
 */
export function unchanged(reply: RedisReply): RedisOutcome {
  return { reply, changes: NO_CHANGES };
}

/** The empty change list, shared: most commands change nothing, and outcomes are never mutated. */
const NO_CHANGES: readonly KeyChange[] = Object.freeze([]);

/**
 * The change list for one key going from `from` to `to`: empty when the value stays the same, since only
 * logical value changes are reported (a SET of the same value only touches the TTL).
 * @example changeOf('lock', 'a', null) // [{ key: 'lock', from: 'a', to: null }]
 */
export function changeOf(key: string, from: string | null, to: string | null): readonly KeyChange[] {
  return from === to ? NO_CHANGES : [{ key, from, to }];
}
