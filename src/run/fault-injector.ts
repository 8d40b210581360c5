/**
 * Lands an iteration's planned faults (fault-plan.ts) as the processes reach the points the plan names. The
 * processes tell it what they are about to do — "A is about to send GET stock, inside its critical section",
 * "W2 took a delivery" — and it answers which faults land right there.
 */
import type { Command } from '../../models/protocol.ts';
import type { FaultPlan, PlannedAfterDelivery } from './fault-plan.ts';

/** A fault landing on a process just before it sends a command. */
export type LandingFault = { readonly kind: 'pause'; readonly ms: number } | { readonly kind: 'kill' } | { readonly kind: 'close' };

/**
 * What a process tells about what it does, and asks before each command: the {@link FaultInjector} itself in
 * process, a stand-in that asks the parent over IPC in a child process (src/run/child).
 */
export interface FaultPoints {
  /** The faults that land on `proc` just before it sends `command`. */
  before(proc: number, command: Command, critical: boolean): readonly LandingFault[] | Promise<readonly LandingFault[]>;
  /** Process `proc` took a delivery. */
  delivered(proc: number): void;
  /** Process `proc` starts afresh. */
  restarted(proc: number): void;
}

/** A kill or close waiting for its taker's command count to come round. */
interface Armed {
  readonly proc: number;
  readonly fault: PlannedAfterDelivery;
  commands: number;
}

/**
 * The fault injector of one iteration.
 * @example
 * const faults = new FaultInjector(plan, 3);
 * faults.before(0, ['GET', 'stock'], true); // [{ kind: 'pause', ms: 2000 }] when the plan says so
 */
export class FaultInjector implements FaultPoints {
  private entrants = 0;
  /** Per process, its current stay in the critical section: which entrant it is and how many commands it sent there. */
  private readonly stays: ({ entrant: number; commands: number } | null)[];
  private nextAfterDelivery = 0;
  private armed: Armed | null = null;
  private publishKillsLeft: number;

  constructor(private readonly plan: FaultPlan, processes: number) {
    this.stays = new Array(processes).fill(null);
    this.publishKillsLeft = plan.publishKills;
  }

  /**
   * Process `proc` took a delivery: the next planned kill or close, if none is waiting, is armed for it.
   * @example faults.delivered(1)
   */
  delivered(proc: number): void {
    if (this.armed !== null || this.nextAfterDelivery >= this.plan.afterDelivery.length) return;
    this.armed = { proc, fault: this.plan.afterDelivery[this.nextAfterDelivery++], commands: 0 };
  }

  /**
   * Process `proc` starts afresh (a restart): it is no longer inside anything.
   * @example faults.restarted(1)
   */
  restarted(proc: number): void {
    this.stays[proc] = null;
  }

  /**
   * The faults that land on `proc` just before it sends `command`; `critical`: it is inside its critical section.
   * @example faults.before(0, ['SET', 'stock', 0], true)
   */
  before(proc: number, command: Command, critical: boolean): LandingFault[] {
    const landing: LandingFault[] = [];
    if (critical) {
      const stay = (this.stays[proc] ??= { entrant: this.entrants++, commands: 0 });
      stay.commands++;
      const pause = this.plan.pauses[stay.entrant];
      if (pause !== undefined && pause.command === stay.commands) landing.push({ kind: 'pause', ms: this.plan.pauseMs });
    } else {
      this.stays[proc] = null;
    }
    const armed = this.armed;
    if (armed !== null && armed.proc === proc && ++armed.commands === armed.fault.command) {
      this.armed = null;
      landing.push({ kind: armed.fault.kind });
    }
    if (command[0] === 'AMQP.PUBLISH' && this.publishKillsLeft > 0 && !landing.some((f) => f.kind === 'kill')) {
      this.publishKillsLeft--;
      landing.push({ kind: 'kill' });
    }
    return landing;
  }
}
