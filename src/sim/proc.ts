/**
 * One process's state within a run: its machine's local state, whether it arrived, crashed, sleeps or is
 * paused. The simulation mutates it; properties see it read-only, as a `ProcessView`.
 */
import type { ClockSpec } from './clock.ts';
import type { LocalState, MachineCache } from './machine-cache.ts';
import type { ProcessView } from '../../properties/property.ts';

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
  constructor(readonly name: string, readonly cache: MachineCache, private readonly start: LocalState, public clock: ClockSpec, readonly service = false) {
    this.local = start;
  }
  /** An independent copy, for a branch of the search. */
  clone(): Proc {
    const copy = new Proc(this.name, this.cache, this.start, this.clock, this.service);
    copy.local = this.local;
    copy.arrived = this.arrived;
    copy.crashed = this.crashed;
    copy.crashedAt = this.crashedAt;
    copy.sleepUntil = this.sleepUntil;
    copy.pausedUntil = this.pausedUntil;
    copy.live = this.live;
    return copy;
  }

  /** Its state as text at true time `now` (a sleep or pause already over reads as 0). */
  fingerprint(now: number): string {
    const ahead = (t: number) => Math.max(0, t - now);
    return `${this.local.key}/${+this.arrived}${+this.crashed}/${this.crashed ? this.crashedAt : ''}/${ahead(this.sleepUntil)}/${ahead(this.pausedUntil)}`;
  }

  /** A supervisor restarted it after a crash: a new incarnation, from its start state, remembering nothing. */
  restart(): void {
    this.local = this.start;
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
