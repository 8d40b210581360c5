/**
 * The clock of one run: true time is real elapsed time since the run started (performance.now, monotonic),
 * in model ms (× the time scale); a process's `NOW` is this machine's wall clock (Date.now), scaled the same
 * way around the run's start, so that readings and durations agree with what the machines were told. A child
 * process of the run (--isolation process) builds its clock from the parent's origin, and reads the same time.
 */
import type { TimeScale } from './time-scale.ts';
import { Aborted } from './aborted.ts';

/** Where a run's clock starts, in terms every process of the machine reads alike. */
export interface ClockOrigin {
  /** The start, ms on the shared time line (performance.timeOrigin + performance.now()). */
  readonly startedAt: number;
  /** The wall clock (Date.now) at the start. */
  readonly epoch: number;
}

/**
 * A run's clock.
 * @example
 * const clock = new RunClock(new TimeScale(1));
 * await sleep(10); clock.now(); // ≈ 10
 */
export class RunClock {
  private readonly startedAt: number;
  private readonly epoch: number;

  /** A clock that starts now, or, given the `origin` of another process's clock, reads the same as that one. */
  constructor(readonly scale: TimeScale, origin?: ClockOrigin) {
    // performance.timeOrigin + performance.now() is on a time line every process of the machine shares.
    this.startedAt = origin === undefined ? performance.now() : origin.startedAt - performance.timeOrigin;
    this.epoch = origin?.epoch ?? Date.now();
  }

  /**
   * Where this clock starts, for a clock in another process to read the same.
   * @example new RunClock(scale, clock.origin).now() // ≈ clock.now()
   */
  get origin(): ClockOrigin {
    return { startedAt: performance.timeOrigin + this.startedAt, epoch: this.epoch };
  }

  /**
   * Model ms since the run started (fractional).
   * @example clock.now() // 12.5
   */
  now(): number {
    return this.scale.modelMs(performance.now() - this.startedAt);
  }

  /**
   * What `['NOW']` answers: the wall clock in ms, scaled around the run's start (the wall clock itself at scale 1).
   * @example clock.reading() // 1732640000123
   */
  reading(): number {
    return Math.round(this.epoch + this.scale.modelMs(Date.now() - this.epoch));
  }

  /**
   * Resolves after `modelMs` of model time (`modelMs / scale` real ms); rejects with {@link Aborted} as soon
   * as `signal` aborts.
   * @example await clock.sleep(1000, signal) // 50 real ms at scale 20
   */
  sleep(modelMs: number, signal?: AbortSignal): Promise<void> {
    // Nothing to wait for (an arrival at 0): no timer, no listener.
    if (modelMs <= 0) return signal?.aborted ? Promise.reject(new Aborted('stopped while sleeping')) : Promise.resolve();
    const until = performance.now() + Math.max(0, this.scale.realMs(modelMs));
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Aborted('stopped while sleeping'));
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Aborted('stopped while sleeping'));
      };
      // Timers run on the event loop's cached clock and may fire a little before performance.now() says the
      // time has come; wake up again for the rest, so a pause is never shorter than asked.
      const wake = () => {
        const left = until - performance.now();
        if (left > 0) {
          timer = setTimeout(wake, Math.ceil(left));
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      wake();
    });
  }
}
