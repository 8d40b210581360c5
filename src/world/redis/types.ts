/**
 * The vocabulary shared by the pure Redis model, the scripts and the engine: commands as flat arrays (as they
 * travel on the wire), replies, and the key changes a command made (what timelines and properties read).
 */

/** One Redis command as a flat array, e.g. `['SET', 'lock', 'a', 'NX', 'PX', 5000]` or `['EVAL', 'compare-and-delete', 1, 'lock', 'a']`. */
export type RedisCommand = readonly (string | number)[];

/** An error reply, as Redis sends `-ERR ...`. */
export interface RedisError {
  /** The error text, e.g. `ERR value is not an integer or out of range`. */
  readonly error: string;
}

/** What a command answers: a bulk/simple string, an integer, nil, or an error. */
export type RedisReply = string | number | null | RedisError;

/** One key that a command (or an expiry) changed: `from`/`to` are the values before and after, `null` for absent. */
export interface KeyChange {
  /** The key. */
  readonly key: string;
  /** Value before the change, `null` if the key did not exist. */
  readonly from: string | null;
  /** Value after the change, `null` if the key was deleted. */
  readonly to: string | null;
}

/** The result of executing one command atomically: its reply and the keys it changed, in order. */
export interface RedisOutcome {
  /** The reply the client receives. */
  readonly reply: RedisReply;
  /** Keys whose value changed (TTL-only changes are not listed). */
  readonly changes: readonly KeyChange[];
}

/** True when a reply is an error reply. */
export function isRedisError(reply: RedisReply): reply is RedisError {
  return typeof reply === 'object' && reply !== null;
}
