/**
 * Reading command arguments the way Redis reads them: option names compare ASCII-case-insensitively, and
 * integers are Redis's strict `string2ll` form.
 */

/** Redis's `string2ll` accepts `0`, or an optional `-`, a digit 1-9 and more digits: no `+`, spaces or leading zeros. */
const INTEGER = /^(?:0|-?[1-9][0-9]*)$/;

/** The signed 64-bit range Redis integers live in. */
export const INT64_MIN = -(2n ** 63n);
/** Upper end of the signed 64-bit range. */
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a Redis integer argument or value, or returns `null` when Redis would answer "not an integer".
 * A bigint, so that INCR's overflow check is exact.
 * @example parseRedisInteger('-12') // -12n; parseRedisInteger('012') // null
 */
export function parseRedisInteger(text: string): bigint | null {
  // The same few numbers ("1", "5000", a token) are parsed millions of times by the checker.
  let parsed = recentIntegers.get(text);
  if (parsed === undefined) {
    parsed = INTEGER.test(text) ? BigInt(text) : null;
    if (parsed !== null && (parsed < INT64_MIN || parsed > INT64_MAX)) parsed = null;
    if (recentIntegers.size >= 4096) recentIntegers.clear();
    recentIntegers.set(text, parsed);
  }
  return parsed;
}

const recentIntegers = new Map<string, bigint | null>();

/**
 * Upper-cases ASCII letters only, as Redis's byte-wise `strcasecmp` does (`toUpperCase` would also fold
 * characters such as `ſ` into ASCII and accept option names Redis rejects).
 * @example asciiUpper('px') // 'PX'
 */
export function asciiUpper(text: string): string {
  // Commands arrive upper-case almost always; skip the rewrite then (it is on the checker's hot path).
  return LOWER.test(text) ? text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32)) : text;
}

const LOWER = /[a-z]/;
