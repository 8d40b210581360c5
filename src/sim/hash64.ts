/**
 * A 64-bit hash of a sequence of words, the fingerprint of a search state. It runs two 32-bit lanes of
 * different construction over the same words — a murmur3 block step and an xxHash32 round, each a bijection of
 * its lane for a given word and of the word for a given lane — and finishes each with its own avalanche, so the
 * two words of the result behave as 64 independent-looking bits. Texts and non-integer numbers go in by an
 * encoding that no other sequence of words shares: a state's parts, fed in a fixed order, hash as a whole.
 */

/** A 64-bit fingerprint as its two 32-bit words (unsigned). */
export interface Fingerprint {
  /** The first lane's word. */
  readonly high: number;
  /** The second lane's word. */
  readonly low: number;
}

/** Marks a number that is not a 32-bit integer (then fed as its 64 IEEE bits), and that integer itself. */
const ESCAPE = -0x7fffffff;
const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

/**
 * A hash under construction: `begin`, feed words, numbers, texts and other hashes, then read `high` and `low`
 * (reading does not end it: more may be fed). One instance is reused for hash after hash, so hashing allocates
 * nothing.
 * @example const h = new Hash64().begin().number(1500).text('lock'); [h.high, h.low]
 */
export class Hash64 {
  #a = 0;
  #b = 0;
  #words = 0;

  /**
   * Starts a new hash.
   * @example hash.begin().text('a').high !== hash.begin().text('b').high
   */
  begin(): this {
    this.#a = 0x9747b28c;
    this.#b = 0x165667b1;
    this.#words = 0;
    return this;
  }

  /**
   * Feeds a 32-bit word (higher bits are dropped).
   * @example hash.begin().word(0xdeadbeef)
   */
  word(w: number): this {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    let a = this.#a ^ Math.imul(k, 0x1b873593);
    a = (a << 13) | (a >>> 19);
    this.#a = (Math.imul(a, 5) + 0xe6546b64) | 0;
    const b = (this.#b + Math.imul(w, 0x85ebca77)) | 0;
    this.#b = Math.imul((b << 13) | (b >>> 19), 0x9e3779b1);
    this.#words++;
    return this;
  }

  /**
   * Feeds a number exactly: a 32-bit integer as one word, any other value as an escape word and its 64 bits.
   * @example hash.begin().number(-1).number(0.5).number(Infinity)
   */
  number(n: number): this {
    if ((n | 0) === n && n !== ESCAPE) return this.word(n);
    float[0] = n;
    return this.word(ESCAPE).word(floatWords[0]).word(floatWords[1]);
  }

  /**
   * Feeds a text: its length, then its UTF-16 code units two to a word.
   * @example hash.begin().text('ctag-1')
   */
  text(s: string): this {
    const length = s.length;
    this.word(length);
    let i = 0;
    for (; i + 1 < length; i += 2) this.word((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1));
    if (i < length) this.word(s.charCodeAt(i));
    return this;
  }

  /**
   * Feeds a finished hash (its two words), e.g. a part's, into this one.
   * @example whole.begin().hash(part.begin().text('redis'))
   */
  hash(other: Fingerprint): this {
    return this.word(other.high).word(other.low);
  }

  /** The first word of the hash of what was fed so far (murmur3's finish). */
  get high(): number {
    let h = this.#a ^ this.#words;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** The second word of the hash of what was fed so far (xxHash32's finish). */
  get low(): number {
    let h = (this.#b + this.#words) | 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae3d);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /**
   * The hash of what was fed so far, as a plain pair.
   * @example new Hash64().begin().text('s0').fingerprint() // { high: …, low: … }
   */
  fingerprint(): Fingerprint {
    return { high: this.high, low: this.low };
  }
}

const scratch = new Hash64();

/**
 * The fingerprint of one text.
 * @example fingerprintOf('state 1').low
 */
export function fingerprintOf(text: string): Fingerprint {
  return scratch.begin().text(text).fingerprint();
}
