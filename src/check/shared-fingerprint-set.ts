/**
 * The visited states of a search on several threads at once: the open-addressing table of fingerprint-set.ts in
 * a SharedArrayBuffer that every thread inserts into, so that each state is claimed — and expanded — by exactly
 * one thread, whichever meets it first.
 *
 * A slot is two words: the high word (0: free; 1: being written) and the low word. A thread claims a free slot by
 * compare-and-swap of its high word to 1, writes the low word, then the high word; a thread that meets a slot
 * being written waits for it, so no fingerprint is stored twice. Probing reads plainly (atomic reads cost three
 * times as much here): a slot only ever goes from free to being written to stored, so a plain read that is out
 * of date sees it free or being written, and the compare-and-swap or an atomic read then tells the truth.
 *
 * The buffer is reserved at its largest at once (the system commits pages only when touched) and the table uses
 * a prefix of it, doubled as it fills. Doubling stops the world: the thread that finds the table past five
 * eighths full raises a flag, waits until no other thread may insert (each says so in a status word of its
 * own), rehashes the prefix into twice the room and lowers the flag. Threads look at the flag between states
 * (`pollGrowth`), and at once when the table is nearly full; the headroom between is far more than a thread
 * inserts in between. Each thread counts its insertions and adds them to the shared count at those moments.
 */

/** Control words: the count, the doubling flag and its epoch, the table's slots, then each thread's status. */
const SIZE = 0;
const GROW = 16; // on a cache line of its own: read on every insert, written once per doubling
const EPOCH = 17;
const SLOTS = 18;
const STATUS = 32;

/** A thread's status: it may insert, it waits for a doubling to end, or it is out of the table (idle, or done). */
const RUNNING = 1;
const PARKED = 2;
const OUT = 0;

/** High words: a free slot, a slot being written. */
const FREE = 0;
const WRITING = 1;

/** The first table: 2²⁰ slots, 8 MiB. */
const FIRST_SLOTS = 2 ** 20;
/** The most room reserved: 4 GiB, 2²⁹ slots, about 330 million states (less if the system refuses it). */
const MOST_BYTES = 2 ** 32;

/** What threads share to use one table: pass it to each thread and `attach` there. */
export interface SharedTable {
  readonly table: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

/**
 * A table of 64-bit fingerprints shared by several threads (each a `thread` number), growing as it fills.
 * @example const set = SharedFingerprintSet.attach(SharedFingerprintSet.create(2), 0); set.enter(); set.addFingerprint(1, 2) // true
 */
export class SharedFingerprintSet {
  readonly #control: Int32Array;
  /** The table's words, a view of the buffer's used prefix (made again after each doubling). */
  #table: Int32Array;
  /** Insertions by this thread not yet added to the shared count. */
  #pending = 0;

  private constructor(private readonly shared: SharedTable, private readonly thread: number) {
    this.#control = new Int32Array(shared.control);
    this.#table = this.#view();
  }

  /**
   * A new empty table for `threads` threads.
   * @example const shared = SharedFingerprintSet.create(2)
   */
  static create(threads: number): SharedTable {
    const control = new SharedArrayBuffer(4 * (STATUS + threads));
    new Int32Array(control)[SLOTS] = FIRST_SLOTS;
    return { table: reserve(), control };
  }

  /**
   * Thread `thread`'s handle on a table made by `create`; it starts out of the table (see `enter`).
   * @example const set = SharedFingerprintSet.attach(shared, 1)
   */
  static attach(shared: SharedTable, thread: number): SharedFingerprintSet {
    return new SharedFingerprintSet(shared, thread);
  }

  /** Stored fingerprints: all once every thread has left; while they insert, as far as this thread knows. */
  get size(): number {
    return Atomics.load(this.#control, SIZE) + this.#pending;
  }

  /** Bytes the table takes now. */
  get bytes(): number {
    return 8 * Atomics.load(this.#control, SLOTS);
  }

  /**
   * This thread is about to insert: it waits for a doubling in progress first. Between `enter` and `leave` it
   * must call `pollGrowth` now and then.
   * @example set.enter(); set.addFingerprint(high, low); set.leave()
   */
  enter(): void {
    for (;;) {
      // Say so first, then look at the flag (a grower raises it, then looks at the statuses): one sees the other.
      Atomics.store(this.#control, STATUS + this.thread, RUNNING);
      if (Atomics.load(this.#control, GROW) === 0) break;
      this.#park();
    }
    this.#table = this.#view();
  }

  /**
   * This thread will not insert until it `enter`s again (it is idle, or done); its insertions are counted.
   * @example set.leave()
   */
  leave(): void {
    this.#publish();
    Atomics.store(this.#control, STATUS + this.thread, OUT);
    Atomics.notify(this.#control, STATUS + this.thread);
  }

  /**
   * Counts this thread's insertions, then waits out a doubling another thread asked for, or doubles the table
   * if it is past five eighths full.
   * @example if (++expanded % 256 === 0) set.pollGrowth()
   */
  pollGrowth(): void {
    this.#publish();
    if (Atomics.load(this.#control, GROW) !== 0) this.enter();
    else if (8 * this.size > 5 * this.#slots) this.#grow();
  }

  /**
   * Adds a fingerprint given as its two words; true if it was new (this thread claimed it).
   * @example set.addFingerprint(0x1234, 0x5678)
   */
  addFingerprint(high: number, low: number): boolean {
    // Nearly full (as far as this thread knows, which is nearly all): double (or wait for the doubling) first.
    if (16 * (this.#control[SIZE] + this.#pending) > 15 * this.#slots) this.#grow();
    const table = this.#table;
    const key = (high | 0) === FREE || (high | 0) === WRITING ? high + 2 : high | 0;
    const word = low | 0;
    const mask = this.#slots - 1;
    for (let slot = word & mask; ; slot = (slot + 1) & mask) {
      const at = 2 * slot;
      let h = table[at];
      if (h === FREE) {
        h = Atomics.compareExchange(table, at, FREE, WRITING);
        if (h === FREE) {
          Atomics.store(table, at + 1, word);
          Atomics.store(table, at, key);
          this.#pending++;
          return true;
        }
      }
      while (h === WRITING) h = Atomics.load(table, at);
      if (h === key && Atomics.load(table, at + 1) === word) return false;
    }
  }

  /** Slots in the table. */
  get #slots(): number {
    return this.#table.length / 2;
  }

  /** A view of the table's words, as many as the control says it has now. */
  #view(): Int32Array {
    return new Int32Array(this.shared.table, 0, 2 * Atomics.load(this.#control, SLOTS));
  }

  /** Adds this thread's insertions to the shared count. */
  #publish(): void {
    if (this.#pending === 0) return;
    Atomics.add(this.#control, SIZE, this.#pending);
    this.#pending = 0;
  }

  /** Waits, out of the table, until the doubling in progress ends. */
  #park(): void {
    this.#publish();
    const epoch = Atomics.load(this.#control, EPOCH);
    Atomics.store(this.#control, STATUS + this.thread, PARKED);
    Atomics.notify(this.#control, STATUS + this.thread);
    while (Atomics.load(this.#control, GROW) !== 0) Atomics.wait(this.#control, EPOCH, epoch, 10);
  }

  /** Doubles the table (or, if another thread is at it, waits for it). */
  #grow(): void {
    const control = this.#control;
    if (Atomics.compareExchange(control, GROW, 0, 1) !== 0) return this.enter();
    // Wait until every other thread is parked or out of the table: then the count is whole.
    for (let t = STATUS; t < control.length; t++) {
      if (t === STATUS + this.thread) continue;
      while (Atomics.load(control, t) === RUNNING) Atomics.wait(control, t, RUNNING, 10);
    }
    const old = this.#table.slice();
    const slots = 2 * this.#slots;
    if (8 * slots > this.shared.table.byteLength) throw new Error(`the shared table of visited states cannot grow past ${this.shared.table.byteLength / 2 ** 20} MiB`);
    Atomics.store(control, SLOTS, slots);
    this.#table = this.#view();
    this.#table.fill(0);
    this.#pending = 0;
    Atomics.store(control, SIZE, 0);
    for (let at = 0; at < old.length; at += 2) if (old[at] !== FREE) this.#reinsert(old[at], old[at + 1]);
    Atomics.store(control, SIZE, this.#pending);
    this.#pending = 0;
    Atomics.store(control, GROW, 0);
    Atomics.add(control, EPOCH, 1);
    Atomics.notify(control, EPOCH);
  }

  /** Puts a stored slot's words back, alone in the table (the world is stopped). */
  #reinsert(key: number, word: number): void {
    const table = this.#table;
    const mask = this.#slots - 1;
    let slot = word & mask;
    while (table[2 * slot] !== FREE) slot = (slot + 1) & mask;
    table[2 * slot] = key;
    table[2 * slot + 1] = word;
    this.#pending++;
  }
}

/** The largest buffer the system grants, up to `MOST_BYTES`: reserved, not yet committed. */
function reserve(): SharedArrayBuffer {
  for (let bytes = MOST_BYTES - 8; ; bytes = bytes / 2) {
    try {
      return new SharedArrayBuffer(bytes);
    } catch (error) {
      if (!(error instanceof RangeError) || bytes <= 8 * FIRST_SLOTS) throw error;
    }
  }
}
