/**
 * How the threads of a depth-first search share the work: a thread that runs out of states waits, idle, for a
 * path; a busy thread that sees an idle one hands it the shallowest state of its stack, as the choices that
 * reach it from the root (a run cannot cross threads; its path can, and is replayed). The search is over when
 * every thread is idle and no path is waiting, or when one of them stops it.
 */
import type { SharedFingerprintSet } from '../shared-fingerprint-set.ts';

/** Control words. */
const LOCK = 0;
const IDLE = 1;
const FINISHED = 2;
const VERSION = 3;
const COUNT = 4;
const STOP = 5;
const WORDS = 6;

/** Paths waiting at most, and the longest path that can be handed over (a longer one stays with its thread). */
const CAPACITY = 64;
const SLOT = 1024;

/** What the threads share: pass it to each and `attach` there. */
export interface SharedWork {
  readonly control: SharedArrayBuffer;
  readonly paths: SharedArrayBuffer;
  readonly threads: number;
}

/**
 * One thread's handle on the shared work of a search.
 * @example const share = WorkShare.attach(WorkShare.create(2), visited); const path = share.take()
 */
export class WorkShare {
  readonly #control: Int32Array;
  readonly #paths: Uint16Array;
  readonly #threads: number;

  private constructor(shared: SharedWork, private readonly visited: SharedFingerprintSet) {
    this.#control = new Int32Array(shared.control);
    this.#paths = new Uint16Array(shared.paths);
    this.#threads = shared.threads;
  }

  /**
   * New shared work for `threads` threads: nothing waiting, nobody idle yet.
   * @example const shared = WorkShare.create(2)
   */
  static create(threads: number): SharedWork {
    return { control: new SharedArrayBuffer(4 * WORDS), paths: new SharedArrayBuffer(2 * CAPACITY * SLOT), threads };
  }

  /**
   * This thread's handle; it `enter`s `visited` when it takes a path and leaves it when idle.
   * @example WorkShare.attach(shared, SharedFingerprintSet.attach(table, 1))
   */
  static attach(shared: SharedWork, visited: SharedFingerprintSet): WorkShare {
    return new WorkShare(shared, visited);
  }

  /** True once a thread stopped the search (a bound, or the headline found). */
  get stopped(): boolean {
    return Atomics.load(this.#control, STOP) !== 0;
  }

  /**
   * Stops the search: every thread ends its walk at its next poll.
   * @example share.stop()
   */
  stop(): void {
    Atomics.store(this.#control, STOP, 1);
    Atomics.notify(this.#control, VERSION);
  }

  /**
   * The next path to search below, waiting for one (idle, `meanwhile` called now and then); `null` when the
   * search is over or stopped.
   * @example for (let path = share.take(); path !== null; path = share.take()) walker.walk(path, control)
   */
  take(meanwhile?: () => void): number[] | null {
    const control = this.#control;
    let idle = false;
    for (;;) {
      if (this.stopped) return null;
      this.#lock();
      const count = control[COUNT];
      if (count > 0) {
        const at = (count - 1) * SLOT;
        const path = Array.from(this.#paths.subarray(at + 1, at + 1 + this.#paths[at]));
        control[COUNT] = count - 1;
        if (idle) control[IDLE]--;
        this.#unlock();
        this.visited.enter();
        return path;
      }
      if (!idle) {
        idle = true;
        control[IDLE]++;
        this.visited.leave();
      }
      const over = control[IDLE] === this.#threads;
      if (over) control[FINISHED] = 1;
      const version = control[VERSION];
      this.#unlock();
      if (over) Atomics.notify(control, VERSION);
      if (over || Atomics.load(control, FINISHED) !== 0) return null;
      Atomics.wait(control, VERSION, version, 20);
      meanwhile?.();
    }
  }

  /**
   * Hands the state `path()` reaches to an idle thread, if one waits with nothing to take: true if handed.
   * @example if (share.give(() => pathOf(stack[0]))) stack.shift()
   */
  give(path: () => readonly number[]): boolean {
    const control = this.#control;
    if (Atomics.load(control, IDLE) <= Atomics.load(control, COUNT)) return false;
    const choices = path();
    if (choices.length >= SLOT) return false;
    this.#lock();
    const count = control[COUNT];
    const wanted = control[IDLE] > count && count < CAPACITY;
    if (wanted) {
      const at = count * SLOT;
      this.#paths[at] = choices.length;
      this.#paths.set(choices, at + 1);
      control[COUNT] = count + 1;
      control[VERSION]++;
    }
    this.#unlock();
    if (wanted) Atomics.notify(control, VERSION);
    return wanted;
  }

  #lock(): void {
    while (Atomics.compareExchange(this.#control, LOCK, 0, 1) !== 0);
  }

  #unlock(): void {
    Atomics.store(this.#control, LOCK, 0);
  }
}
