/**
 * The set of visited states of an exhaustive search, as 64-bit fingerprints (`Simulation.fingerprint`, see
 * hash64.ts) in one open-addressing table of 32-bit words (two per state): 8 bytes a slot (12 in an indexed
 * set), kept between three eighths and three quarters full (it doubles when three quarters full; linear probing
 * stays short up to there), so 11 to 21 bytes per stored state (16 to 32 indexed), however big the state.
 * A state's fingerprint hashes the fingerprints of its parts (each process, the Redis servers, the broker, the
 * shop's systems) with the rest of its state, so two different states collide when the whole hashes do, or
 * when two different versions of one part do: with n states and fewer versions of each part than states,
 * about n²/2⁶⁵ plus a few times that at most — the price SPIN's hash compaction also pays; a collision can
 * only hide states, never invent a violation.
 */

import type { Fingerprint } from '../sim/hash64.ts';

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
   * Adds a fingerprint; true if it was new.
   * @example const seen = new FingerprintSet(); seen.add(fingerprintOf('s0')); seen.add(fingerprintOf('s0')) // true, then false
   */
  add(fingerprint: Fingerprint): boolean {
    return this.addFingerprint(fingerprint.high, fingerprint.low);
  }

  /**
   * Adds a fingerprint given as its two words (computed elsewhere, e.g. in a worker thread); true if it was new.
   */
  addFingerprint(high: number, low: number): boolean {
    const size = this.#size;
    this.#insert(high, low, size);
    return this.#size > size;
  }

  /**
   * The insertion number of `fingerprint` (0 for the first added), adding it if new (then `size` grows by one).
   * Only for an indexed set.
   * @example const seen = new FingerprintSet(true); [0, 1, 0].map((i) => seen.indexOf(fingerprintOf(`s${i}`))) // 0, 1, 0
   */
  indexOf(fingerprint: Fingerprint): number {
    if (this.#indices === null) throw new Error('indexOf needs an indexed FingerprintSet');
    return this.#insert(fingerprint.high, fingerprint.low, this.#size);
  }

  /** Inserts the fingerprint with insertion number `index` unless present; returns the stored number (−1 unindexed). */
  #insert(high: number, low: number, index: number): number {
    if (4 * (this.#size + 1) > 3 * (this.#table.length / 2)) this.#grow();
    const at = this.#find(high, low);
    if (this.#table[at] === 0) {
      this.#table[at] = stored(high);
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
    const table = this.#table;
    const key = stored(high);
    const word = low >>> 0;
    // The table's size is a power of two: a mask picks the slot.
    const mask = table.length / 2 - 1;
    for (let slot = word & mask; ; slot = (slot + 1) & mask) {
      const at = 2 * slot;
      const h = table[at];
      if (h === 0 || (h === key && table[at + 1] === word)) return at;
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

/** The high word as the table stores it: 0 marks an empty slot, so a fingerprint whose high word is 0 is stored as 1. */
function stored(high: number): number {
  return high >>> 0 || 1;
}
