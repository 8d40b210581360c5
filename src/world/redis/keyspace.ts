/**
 * The stored keys of the Redis model and the one expiry rule. Expired entries stay stored until a write
 * replaces or deletes them (Redis deletes lazily too); every read goes through {@link isLive}, so a stale
 * entry is never visible, and `expiriesBetween` can still name the key that just expired.
 */
import { Hash64 } from '../../sim/hash64.ts';

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

const entryHash = new Hash64();

/** An entry as the key space keeps it: with its key, and the hash of all three, made once when stored. */
class Stored implements Entry {
  readonly high: number;
  readonly low: number;
  constructor(readonly key: string, readonly value: string, readonly expireAt: number | null) {
    entryHash.begin().text(key).text(value).number(expireAt ?? -1);
    // As signed words, which V8 keeps in the object rather than boxed.
    this.high = entryHash.high | 0;
    this.low = entryHash.low | 0;
  }
}

/**
 * The keys and their entries, in key order. Key spaces are small (a checker's models hold a handful of keys)
 * and copied at every branch of a search, so they are a sorted array that a copy shares with its original
 * until either of them writes (copy on write): most branches only read it.
 */
export class KeySpace {
  #entries: Stored[] = [];
  /** Another key space may hold `#entries`: copy it before writing. */
  #shared = false;

  /**
   * Creates a key space, empty or holding `entries`; or, given `copyOf`, a copy of that one sharing its array.
   * @example new KeySpace([['stock', { value: '1', expireAt: null }]])
   */
  constructor(entries: Iterable<readonly [string, Entry]> = [], copyOf?: KeySpace) {
    if (copyOf !== undefined) {
      this.#entries = copyOf.#entries;
      this.#shared = copyOf.#shared = true;
    } else for (const [key, entry] of entries) this.put(key, entry);
  }

  /**
   * The entry for `key` if it exists and is live at `now`.
   * @example space.live('lock', now)?.value
   */
  live(key: string, now: number): Entry | undefined {
    const entry = this.stored(key);
    return entry !== undefined && isLive(entry, now) ? entry : undefined;
  }

  /**
   * The stored entry for `key`, live or already expired.
   * @example space.stored('lock')?.expireAt
   */
  stored(key: string): Entry | undefined {
    const at = this.#indexOf(key);
    return at >= 0 ? this.#entries[at] : undefined;
  }

  /**
   * Stores `entry` under `key`, replacing whatever was there.
   * @example space.put('lock', { value: 'a', expireAt: 5000 })
   */
  put(key: string, entry: Entry): void {
    const stored = new Stored(key, entry.value, entry.expireAt);
    const at = this.#indexOf(key);
    const entries = this.#writable();
    if (at >= 0) entries[at] = stored;
    else entries.splice(-at - 1, 0, stored);
  }

  /**
   * Removes `key` (live or expired).
   * @example space.delete('lock')
   */
  delete(key: string): void {
    const at = this.#indexOf(key);
    if (at >= 0) this.#writable().splice(at, 1);
  }

  /** The array, to write to: its own copy first if it is shared. */
  #writable(): Stored[] {
    if (this.#shared) {
      this.#entries = this.#entries.slice();
      this.#shared = false;
    }
    return this.#entries;
  }

  /** The index of `key`, or −(the index where it would go) − 1 (binary search). */
  #indexOf(key: string): number {
    const entries = this.#entries;
    let lo = 0;
    let hi = entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const other = entries[mid].key;
      if (other === key) return mid;
      if (other < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  /**
   * Every stored entry, live or expired, sorted by key so that callers iterate in a defined order.
   * @example space.entries().map(([key]) => key) // ['fence', 'lock', 'stock']
   */
  entries(): [string, Entry][] {
    const pairs: [string, Entry][] = [];
    for (const entry of this.#entries) pairs.push([entry.key, entry]);
    return pairs;
  }

  /**
   * Feeds the live entries at `now` into a state's fingerprint, each as its key, value and expiry instant (the
   * fingerprint holds the instant too, so that stands for the TTL left). The entries' hashes, made when they
   * were stored, are added together.
   * @example space.hashInto(new Hash64().begin(), 0)
   */
  hashInto(into: Hash64, now: number): void {
    let live = 0;
    let high = 0;
    let low = 0;
    for (const entry of this.#entries) {
      if (!isLive(entry, now)) continue;
      high = (high + entry.high) | 0;
      low = (low + entry.low) | 0;
      live++;
    }
    into.word(live).word(high).word(low);
  }

  /**
   * True when `other` holds the same live entries at `now` (keys, values, expiry instants): then every command
   * run on either at `now` or later answers and changes alike, but for keys that expired before `now`, which
   * only a clock stepping back would show again.
   * @example space.sameLiveAs(space.clone(), 0) // true
   */
  sameLiveAs(other: KeySpace, now: number): boolean {
    const [mine, theirs] = [this.#entries, other.#entries];
    if (mine === theirs) return true;
    let j = 0;
    for (const entry of mine) {
      if (!isLive(entry, now)) continue;
      while (j < theirs.length && !isLive(theirs[j], now)) j++;
      const match = theirs[j++];
      if (match === undefined || match.key !== entry.key || match.value !== entry.value || match.expireAt !== entry.expireAt) return false;
    }
    while (j < theirs.length && !isLive(theirs[j], now)) j++;
    return j === theirs.length;
  }

  /**
   * The earliest expiry instant among keys live at `now`, or `null` if none has a TTL. No sorting and no
   * allocation: the checker asks this on every step where time may pass.
   * @example space.nextExpiry(0) // 5000
   */
  nextExpiry(now: number): number | null {
    let next: number | null = null;
    for (const { expireAt } of this.#entries) {
      if (expireAt !== null && now <= expireAt && (next === null || expireAt < next)) next = expireAt;
    }
    return next;
  }

  /**
   * An independent copy.
   * @example const before = space.clone()
   */
  clone(): KeySpace {
    return new KeySpace([], this);
  }
}
