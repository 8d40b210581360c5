/**
 * The set of visited states of an exhaustive search, as 64-bit fingerprints in one open-addressing table of
 * 32-bit words (two per state): 8 bytes a slot (12 in an indexed set), kept between three eighths and three
 * quarters full (it doubles when three quarters full; linear probing stays short up to there), so 11 to 21
 * bytes per stored state (16 to 32 indexed), however long the state's text. Two different states collide with probability about n²/2⁶⁵ for n states —
 * the price SPIN's hash compaction also pays; a collision can only hide states, never invent a violation.
 */

/** An FNV-1a-style hash over the UTF-16 code units of `text`, from `seed`, multiplying by `prime`. */
function hash32(text: string, seed: number, prime: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, prime);
  }
  // A final avalanche (murmur3's fmix32), so that texts differing in their last characters spread too.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

// Two 32-bit hashes with different seeds and multipliers (FNV's prime, murmur2's constant) make the 64-bit
// fingerprint; the high word is never 0, so 0 marks an empty slot.

/** The high word of the 64-bit fingerprint of `text`: never 0. */
export function fingerprintHigh(text: string): number {
  return (hash32(text, 0x811c9dc5, 0x01000193) | 1) >>> 0;
}

/** The low word of the 64-bit fingerprint of `text`. */
export function fingerprintLow(text: string): number {
  return hash32(text, 0x3b9aca07, 0x5bd1e995);
}

/**
 * A growable set of 64-bit state fingerprints. An `indexed` set also remembers each fingerprint's insertion
 * number (4 more bytes a slot), so a search can tell which earlier state a successor is (`indexOf`).
 */
export class FingerprintSet {
  #table = new Uint32Array(2 * 1024);
  #size = 0;
  /** Insertion numbers by slot, for an indexed set. */
  #indices: Int32Array | null;

  constructor(indexed = false) {
    this.#indices = indexed ? new Int32Array(1024) : null;
  }

  /** Stored fingerprints. */
  get size(): number {
    return this.#size;
  }

  /** Bytes the table takes now. */
  get bytes(): number {
    return this.#table.byteLength + (this.#indices?.byteLength ?? 0);
  }

  /**
   * Adds the fingerprint of `text`; true if it was new.
   * @example const seen = new FingerprintSet(); seen.add('s0'); seen.add('s0') // true, then false
   */
  add(text: string): boolean {
    return this.addFingerprint(fingerprintHigh(text), fingerprintLow(text));
  }

  /**
   * Adds a fingerprint given as its two words (`fingerprintHigh`, `fingerprintLow` of a state's text, computed
   * elsewhere, e.g. in a worker thread); true if it was new.
   */
  addFingerprint(high: number, low: number): boolean {
    const size = this.#size;
    this.#insert(high, low, size);
    return this.#size > size;
  }

  /**
   * The insertion number of the state whose text is `text` (0 for the first added), adding it if new (then
   * `size` grows by one). Only for an indexed set.
   * @example const seen = new FingerprintSet(true); seen.indexOf('s0'); seen.indexOf('s1'); seen.indexOf('s0') // 0, 1, 0
   */
  indexOf(text: string): number {
    if (this.#indices === null) throw new Error('indexOf needs an indexed FingerprintSet');
    return this.#insert(fingerprintHigh(text), fingerprintLow(text), this.#size);
  }

  /** Inserts the fingerprint with insertion number `index` unless present; returns the stored number (−1 unindexed). */
  #insert(high: number, low: number, index: number): number {
    if (4 * (this.#size + 1) > 3 * (this.#table.length / 2)) this.#grow();
    const at = this.#find(high, low);
    if (this.#table[at] === 0) {
      this.#table[at] = high >>> 0;
      this.#table[at + 1] = low;
      if (this.#indices) this.#indices[at / 2] = index;
      this.#size++;
    }
    return this.#indices ? this.#indices[at / 2] : -1;
  }

  /** Whether the fingerprint given as its two words is in the set. */
  hasFingerprint(high: number, low: number): boolean {
    return this.#table[this.#find(high, low)] !== 0;
  }

  /** The insertion number of the fingerprint given as its two words, or −1 when absent. Only for an indexed set. */
  indexOfFingerprint(high: number, low: number): number {
    if (this.#indices === null) throw new Error('indexOfFingerprint needs an indexed FingerprintSet');
    const at = this.#find(high, low);
    return this.#table[at] === 0 ? -1 : this.#indices[at / 2];
  }

  /** The index of the fingerprint's slot in the table, or of the empty slot where it would go. */
  #find(high: number, low: number): number {
    const slots = this.#table.length / 2;
    for (let slot = (low >>> 0) % slots; ; slot = (slot + 1) % slots) {
      const at = 2 * slot;
      if (this.#table[at] === 0 || (this.#table[at] === high >>> 0 && this.#table[at + 1] === low)) return at;
    }
  }

  #grow(): void {
    const old = this.#table;
    const oldIndices = this.#indices;
    this.#table = new Uint32Array(old.length * 2);
    if (oldIndices) this.#indices = new Int32Array(oldIndices.length * 2);
    this.#size = 0;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.#insert(old[at], old[at + 1], oldIndices ? oldIndices[at / 2] : -1);
  }
}
