/**
 * The stored keys of the Redis model and the one expiry rule. Expired entries stay stored until a write
 * replaces or deletes them (Redis deletes lazily too); every read goes through {@link isLive}, so a stale
 * entry is never visible, and `expiriesBetween` can still name the key that just expired.
 */

/** One stored string key. */
export interface Entry {
  /** The value; Redis strings, integers included, are stored as text. */
  readonly value: string;
  /** Server-clock millisecond of expiry, `null` for no TTL. The key is still live at exactly this instant. */
  readonly expireAt: number | null;
}

/**
 * True when `entry` is still visible at server time `now`. Real Redis (db.c `keyIsExpired`) expires a key
 * when `now > when`, so a key is live at its own expiry instant and gone one millisecond later.
 * @example isLive({ value: 'a', expireAt: 100 }, 100) // true; at 101: false
 */
export function isLive(entry: Entry, now: number): boolean {
  return entry.expireAt === null || now <= entry.expireAt;
}

/** A map of keys to entries; entries are immutable, so copies share them. */
export class KeySpace {
  readonly #entries: Map<string, Entry>;

  /**
   * Creates a key space, empty or holding `entries`.
   * @example new KeySpace([['stock', { value: '1', expireAt: null }]])
   */
  constructor(entries: Iterable<readonly [string, Entry]> = []) {
    this.#entries = new Map(entries);
  }

  /**
   * The entry for `key` if it exists and is live at `now`.
   * @example space.live('lock', now)?.value
   */
  live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && isLive(entry, now) ? entry : undefined;
  }

  /**
   * The stored entry for `key`, live or already expired.
   * @example space.stored('lock')?.expireAt
   */
  stored(key: string): Entry | undefined {
    return this.#entries.get(key);
  }

  /**
   * Stores `entry` under `key`, replacing whatever was there.
   * @example space.put('lock', { value: 'a', expireAt: 5000 })
   */
  put(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
  }

  /**
   * Removes `key` (live or expired).
   * @example space.delete('lock')
   */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /**
   * Every stored entry, live or expired, sorted by key so that callers iterate in a defined order.
   * @example space.entries().map(([key]) => key) // ['fence', 'lock', 'stock']
   */
  entries(): [string, Entry][] {
    return [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * An independent copy.
   * @example const before = space.clone()
   */
  /**
   * The earliest expiry instant among keys live at `now`, or `null` if none has a TTL. No sorting and no
   * allocation: the checker asks this on every step where time may pass.
   * @example space.nextExpiry(0) // 5000
   */
  nextExpiry(now: number): number | null {
    let next: number | null = null;
    for (const { expireAt } of this.#entries.values()) {
      if (expireAt !== null && now <= expireAt && (next === null || expireAt < next)) next = expireAt;
    }
    return next;
  }

  clone(): KeySpace {
    return new KeySpace(this.#entries);
  }
}
