/**
 * One process's state within a run: its machine's local state, whether it arrived, crashed, sleeps or is
 * paused, and its consumer. The simulation mutates it; properties see it read-only, as a `ProcessView`.
 * Branches of a search share a process until one of them changes it (copy on write, see `shared`).
 */
import { hashClock, type ClockSpec } from './clock.ts';
import { Hash64 } from './hash64.ts';
import type { LocalState, MachineCache } from './machine-cache.ts';
import type { CompiledProcess } from './run-setup.ts';
import type { ProcessView } from '../../properties/property.ts';

const own = new Hash64();

/** Mutable per-process run state; doubles as the process's read-only view for properties. */
export class Proc implements ProcessView {
  /** The machine's current local state. */
  local: LocalState;
  /** It has arrived (sent its first command). */
  arrived = false;
  /** It crashed; it takes no more steps (unless restarted). */
  crashed = false;
  /** True time of its latest crash. */
  crashedAt = 0;
  /** True time its current sleep ends. */
  sleepUntil = 0;
  /** True time its current pause ends. */
  pausedUntil = 0;
  /** Its consumer's tag once it consumes (one consumer per process, on a channel named after it). */
  consumerTag: string | null = null;
  /** The broker closed its channel and it has not yet heard (it hears when it awaits). */
  channelClosed = false;
  /** Another run may hold this object: it is read-only, and a run that changes the process clones it first. */
  shared = false;
  // Its fingerprint at instant `#hashAt` (−1: none): the states of a search that share this object at one instant
  // hash it once. Signed words, which V8 keeps unboxed.
  #hashAt = -1;
  #high = 0;
  #low = 0;
  /** Runs `spec` (shared by every copy: a search holds many) on `clock`. */
  constructor(private readonly spec: CompiledProcess, public clock: ClockSpec) {
    this.local = spec.start;
  }
  /** Lane name. */
  get name(): string {
    return this.spec.name;
  }
  /** Its memoised machine. */
  get cache(): MachineCache {
    return this.spec.cache;
  }
  /** A long-running service: its waiting for work is not a deadlock. */
  get service(): boolean {
    return this.spec.service;
  }
  /** An independent copy, not shared, for a branch of the search. */
  clone(): Proc {
    const copy = new Proc(this.spec, this.clock);
    copy.local = this.local;
    copy.arrived = this.arrived;
    copy.crashed = this.crashed;
    copy.crashedAt = this.crashedAt;
    copy.sleepUntil = this.sleepUntil;
    copy.pausedUntil = this.pausedUntil;
    copy.consumerTag = this.consumerTag;
    copy.channelClosed = this.channelClosed;
    copy.live = this.live;
    return copy;
  }

  /**
   * Feeds its state at true time `now` into a state's fingerprint: a sleep or pause already over counts as
   * none, the time of a crash only while crashed; its clock too when `withClock` (clocks vary in the run).
   */
  hashInto(into: Hash64, now: number, withClock: boolean): void {
    if (this.#hashAt !== now) {
      own.begin().hash(this.local.hash);
      own.word(+this.arrived | (+this.crashed << 1) | (+this.channelClosed << 2) | (+(this.consumerTag !== null) << 3));
      if (this.crashed) own.number(this.crashedAt);
      own.number(this.sleepUntil > now ? this.sleepUntil - now : 0).number(this.pausedUntil > now ? this.pausedUntil - now : 0);
      if (this.consumerTag !== null) own.text(this.consumerTag);
      if (withClock) hashClock(own, this.clock);
      this.#hashAt = now;
      this.#high = own.high | 0;
      this.#low = own.low | 0;
    }
    into.word(this.#high).word(this.#low);
  }

  /** Forgets its cached fingerprint: the run that owns it is about to change it. */
  changing(): void {
    this.#hashAt = -1;
  }

  /** A supervisor restarted it after a crash: a new incarnation, from its start state, remembering nothing. */
  restart(): void {
    this.local = this.spec.start;
    this.crashed = false;
    this.sleepUntil = 0;
    this.pausedUntil = 0;
  }
  get status(): ProcessView['status'] {
    if (!this.arrived) return 'absent';
    if (this.crashed) return 'crashed';
    return this.local.done ? 'done' : 'running';
  }
  get inCritical(): boolean {
    return this.live && this.local.critical;
  }
  get context(): Readonly<Record<string, unknown>> {
    return this.local.snapshot.context as Record<string, unknown>;
  }
  /** Arrived, not crashed, not done: kept as a field, since the scheduler asks for every process at every step. */
  live = false;
  wakesAt(): number {
    return Math.max(this.sleepUntil, this.pausedUntil);
  }
}
