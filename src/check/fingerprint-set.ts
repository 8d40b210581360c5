/**
 * The set of visited states of an exhaustive search, as 64-bit fingerprints in one open-addressing table of
 * 32-bit words (two per state): 8 bytes a slot, kept between a quarter and half full (it doubles when half
 * full), so 16 to 32 bytes per stored state, however long the state's text. Two different states collide with probability about n²/2⁶⁵ for n states —
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

/** A growable set of 64-bit state fingerprints. */
export class FingerprintSet {
  #table = new Uint32Array(2 * 1024);
  #size = 0;

  /** Stored fingerprints. */
  get size(): number {
    return this.#size;
  }

  /** Bytes the table takes now. */
  get bytes(): number {
    return this.#table.byteLength;
  }

  /**
   * Adds the fingerprint of `text`; true if it was new.
   * @example const seen = new FingerprintSet(); seen.add('s0'); seen.add('s0') // true, then false
   */
  add(text: string): boolean {
    // Two 32-bit hashes with different seeds and multipliers (FNV's prime, murmur2's constant) make the 64-bit
    // fingerprint; the high word is never 0, so 0 marks an empty slot.
    return this.#insert(hash32(text, 0x811c9dc5, 0x01000193) | 1, hash32(text, 0x3b9aca07, 0x5bd1e995));
  }

  #insert(high: number, low: number): boolean {
    if (2 * (this.#size + 1) > this.#table.length / 2) this.#grow();
    const slots = this.#table.length / 2;
    for (let slot = (low >>> 0) % slots; ; slot = (slot + 1) % slots) {
      const at = 2 * slot;
      if (this.#table[at] === 0) {
        this.#table[at] = high >>> 0;
        this.#table[at + 1] = low;
        this.#size++;
        return true;
      }
      if (this.#table[at] === high >>> 0 && this.#table[at + 1] === low) return false;
    }
  }

  #grow(): void {
    const old = this.#table;
    this.#table = new Uint32Array(old.length * 2);
    this.#size = 0;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.#insert(old[at], old[at + 1]);
  }
}
