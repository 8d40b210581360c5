/**
 * Lands an iteration's planned faults (fault-plan.ts) as the processes reach the points the plan names. The
 * processes tell it what they are about to do — "A is about to send GET stock, inside its critical section",
 * "W2 took a delivery" — and it answers which faults land right there.
 */
import type { Command } from '../../models/protocol.ts';
import { addressedServer } from '../sim/redis-servers.ts';
import type { FaultPlan, PlannedAfterDelivery, PlannedDeliveryPause } from './fault-plan.ts';
import { isRedisCommand } from './history.ts';

/**
 * A fault landing on a process just before it sends a command: a pause, a kill, a channel close; a disconnect
 * (the command goes out on a connection the server kills: process-runner.ts); a stall of the Redis server
 * (CLIENT PAUSE `ms` WRITE, begun just before the command goes out).
 */
export type LandingFault =
  | { readonly kind: 'pause'; readonly ms: number } | { readonly kind: 'kill' } | { readonly kind: 'close' }
  | { readonly kind: 'disconnect'; readonly executes: boolean } | { readonly kind: 'stall'; readonly ms: number };

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

/** A fault after a delivery (a kill or close, or a pause) waiting for its taker's command count to come round. */
interface Armed<F extends PlannedDeliveryPause> {
  readonly proc: number;
  readonly fault: F;
  commands: number;
}

/** Counts a command of `proc` against `armed`: true when it is the one the fault lands before. */
function due(armed: Armed<PlannedDeliveryPause>, proc: number): boolean {
  return armed.proc === proc && ++armed.commands === armed.fault.command;
}

/**
 * The fault injector of one iteration.
 * @example
 * const faults = new FaultInjector(plan, 3);
 * faults.before(0, ['GET', 'stock'], true); // [{ kind: 'pause', ms: 2000 }] when the plan says so
 */
export class FaultInjector implements FaultPoints {
  private entrants = 0;
  /** Per process, its current stay in the critical section: which entrant it is, how many commands it sent there, whether its disconnect landed. */
  private readonly stays: ({ entrant: number; commands: number; disconnected?: true } | null)[];
  private nextAfterDelivery = 0;
  private armed: Armed<PlannedAfterDelivery> | null = null;
  private nextDeliveryPause = 0;
  private armedPause: Armed<PlannedDeliveryPause> | null = null;
  private publishKillsLeft: number;

  constructor(private readonly plan: FaultPlan, processes: number) {
    this.stays = new Array(processes).fill(null);
    this.publishKillsLeft = plan.publishKills;
  }

  /**
   * Process `proc` took a delivery: the next planned kill or close, if none is waiting, is armed for it, and so
   * is the next planned pause on a worker, if none is waiting.
   * @example faults.delivered(1)
   */
  delivered(proc: number): void {
    const pauses = this.plan.deliveryPauses ?? [];
    if (this.armedPause === null && this.nextDeliveryPause < pauses.length) this.armedPause = { proc, fault: pauses[this.nextDeliveryPause++], commands: 0 };
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
      const stall = this.plan.stalls?.[stay.entrant];
      if (stall !== undefined && stall.command === stay.commands) landing.push({ kind: 'stall', ms: this.plan.stallMs ?? 0 });
      // On the store's Redis only: the first such command from the planned one on (a clock reading is no target).
      const disconnect = this.plan.disconnects?.[stay.entrant];
      if (disconnect !== undefined && !stay.disconnected && stay.commands >= disconnect.command && isRedisCommand(command) && addressedServer(command) === 0) {
        stay.disconnected = true;
        landing.push({ kind: 'disconnect', executes: disconnect.executes });
      }
    } else {
      this.stays[proc] = null;
    }
    // A pause after a delivery comes first, so that a kill or close due at the same command follows it.
    if (this.armedPause !== null && due(this.armedPause, proc)) {
      this.armedPause = null;
      landing.push({ kind: 'pause', ms: this.plan.pauseMs });
    }
    const armed = this.armed;
    if (armed !== null && due(armed, proc)) {
      this.armed = null;
      landing.push({ kind: armed.fault.kind });
    }
    if (command[0] === 'AMQP.PUBLISH' && this.publishKillsLeft > 0 && !landing.some((f) => f.kind === 'kill')) {
      this.publishKillsLeft--;
      landing.push({ kind: 'kill' });
    }
    // A kill or close ends the taker's hold on its delivery: a pause still waiting for a later command never comes.
    if (this.armedPause?.proc === proc && landing.some((f) => f.kind === 'kill' || f.kind === 'close')) this.armedPause = null;
    return landing;
  }
}
