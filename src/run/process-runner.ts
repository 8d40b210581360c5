/**
 * One process of a real run: the scenario's own xstate machine, stepped by xstate's pure transitions as the
 * checker steps it (MachineStepper; not memoised as the checker's MachineCache is: a memo that misses — a
 * fresh token, a clock reading, a new delivery — costs about twice the step it would save; it steps ahead
 * instead, for the likely reply, while a Redis command is on the wire: step-ahead.ts), whose commands
 * are executed on the real clients and answered with `reply` events, and which is fed the broker's deliveries
 * when it awaits one (broker-link.ts). Faults land just before a command: a pause sleeps for real, a kill stops the machine and
 * closes its broker connection (and a service is restarted after the supervisor's delay, as a new incarnation
 * from its start), a close shuts its consuming channel under it, a disconnect sends the command on a connection
 * the server kills, a stall pauses the Redis server. Everything is recorded in the run's history.
 */
import type { Command, ProtocolEvent } from '../../models/protocol.ts';
import type { ProcessView } from '../../properties/property.ts';
import { MachineStepper, type ProtocolState } from '../sim/machine-stepper.ts';
import { isBrokerCommand } from '../world/amqp/commands.ts';
import { isEffectCommand } from '../world/effects/effects.ts';
import { Aborted } from './aborted.ts';
import { BrokerLink, type InboxItem } from './broker-link.ts';
import type { Activity, ProcessDefinition, RunServices } from './run-services.ts';
import type { LandingFault } from './fault-injector.ts';
import { IncarnationStop } from './incarnation-stop.ts';
import { StepAhead, type Guess } from './step-ahead.ts';

/**
 * A live process.
 * @example
 * const runner = new ProcessRunner(0, definition, services);
 * await runner.run(arrivalMs);
 */
export class ProcessRunner {
  private status: ProcessView['status'] = 'absent';
  private readonly stepper: MachineStepper;
  private readonly ahead: StepAhead;
  /** The current incarnation's machine; `null` before the first. */
  private machine: ProtocolState | null = null;
  private readonly broker: BrokerLink;
  /** Ends the current incarnation's waits: a kill, or the end of the iteration. */
  private incarnation: IncarnationStop;
  private waitingForWork = false;
  private restarting = false;

  constructor(readonly index: number, private readonly definition: ProcessDefinition, private readonly services: RunServices) {
    this.stepper = MachineStepper.of(definition.machine);
    this.ahead = StepAhead.of(this.stepper);
    this.incarnation = new IncarnationStop(services.ended);
    this.broker = new BrokerLink(definition.name, services.brokerSession, {
      delivered: (delivery) => {
        this.services.history.record({ kind: 'deliver', at: this.services.clock.now(), proc: this.index, view: this.view(), delivery });
        this.services.faults.delivered(this.index);
      },
      queued: () => this.incarnation.unpark(),
    });
  }

  /** Busy, idle (awaiting a delivery with none in hand, or blocked on an empty outbox) or finished for good. */
  get activity(): Activity {
    if (this.status === 'done' || (this.status === 'crashed' && !this.restarting)) return 'finished';
    return this.status === 'running' && this.waitingForWork ? 'idle' : 'busy';
  }

  /** The process as properties see it, now. */
  view(): ProcessView {
    return {
      name: this.definition.name,
      status: this.status,
      inCritical: this.status === 'running' && (this.machine?.critical ?? false),
      service: this.definition.service,
      context: (this.machine?.snapshot.context ?? this.definition.input) as Record<string, unknown>,
    };
  }

  /**
   * Arrives after `arrivalMs` (model ms), then runs until done, killed for good, or the end of the iteration.
   * @example await runner.run(0)
   */
  async run(arrivalMs: number): Promise<void> {
    try {
      await this.services.clock.sleep(arrivalMs, this.services.ended);
      this.status = 'running';
      this.note('arrive');
      while ((await this.incarnationRuns()) === 'killed' && this.definition.restart) {
        await this.services.clock.sleep(this.services.restartDelayMs, this.services.ended);
        this.restarting = false;
        this.status = 'running';
        this.incarnation = new IncarnationStop(this.services.ended);
        this.services.faults.restarted(this.index);
        this.note('restart');
      }
    } catch (error) {
      if (!(error instanceof Aborted)) throw error;
    } finally {
      await this.broker.shutDown(true);
    }
  }

  /** One incarnation, from the machine's start state to its end, a kill, or the end of the iteration. */
  private async incarnationRuns(): Promise<'done' | 'killed' | 'stopped'> {
    this.machine = this.stepper.start(this.definition.input);
    try {
      for (;;) {
        const machine = this.machine;
        if (machine.done) {
          this.status = 'done';
          this.note('done');
          return 'done';
        }
        if (machine.awaiting) {
          this.take(await this.nextItem());
          continue;
        }
        // Not done and not awaiting: the stepper has made sure there is a command.
        const command = machine.command!;
        const landing = this.services.faults.before(this.index, command, machine.critical);
        const faults = landing instanceof Promise ? await landing : landing;
        if (faults.length > 0) {
          const landed = await this.landFaults(faults, command);
          if (landed === 'killed') return 'killed';
          if (landed === 'ran') continue;
        }
        await this.execute(command);
      }
    } catch (error) {
      if (error instanceof Aborted) return 'stopped';
      throw error;
    } finally {
      this.incarnation.over();
    }
  }

  /** Lands the faults planned just before `command`: `killed` when the process died, `ran` when the command ran meanwhile. */
  private async landFaults(faults: readonly LandingFault[], command: Command): Promise<'killed' | 'ran' | null> {
    for (const fault of faults) {
      if (fault.kind === 'kill') {
        await this.kill();
        return 'killed';
      }
      if (fault.kind === 'disconnect') return this.disconnected(command, fault.executes);
      if (fault.kind === 'stall') await this.services.stallRedis!(fault.ms, this.index, () => this.view());
      else if (fault.kind === 'pause') {
        this.services.history.record({ kind: 'pause', at: this.services.clock.now(), proc: this.index, view: this.view(), ms: fault.ms });
        await this.services.clock.sleep(fault.ms, this.incarnation.signal);
        this.note('resume');
      } else {
        // Recorded as it starts: the broker may redeliver to a peer before the close is confirmed to us.
        const channel = this.broker.consumingChannel;
        if (channel === null) continue;
        this.services.history.record({ kind: 'close', at: this.services.clock.now(), proc: this.index, view: this.view(), channel });
        await this.broker.closeConsumingChannel();
      }
    }
    return null;
  }

  /**
   * Sends `command` on a connection the server kills (killed-connection.ts). Answered first, it ran, and the
   * machine goes on; otherwise its outcome is unknown and, its machine having no path for a failed command, the
   * process ends there as a crash (a service is restarted).
   */
  private async disconnected(command: Command, executes: boolean): Promise<'killed' | 'ran'> {
    const { clock, history } = this.services;
    const invokedAt = clock.now();
    const killed = await this.services.killConnectionDuring!(command, executes);
    const reply = killed.answered ? killed.reply : null;
    const stopped = this.incarnation.stopped;
    if (killed.answered && !stopped) this.step({ type: 'reply', value: reply });
    history.record({ kind: 'disconnect', at: clock.now(), invokedAt, proc: this.index, view: this.view(), command, answered: killed.answered, reply });
    if (stopped) throw new Aborted('stopped');
    if (killed.answered) return 'ran';
    await this.kill();
    return 'killed';
  }

  /** Runs `command` on the real client, records it, and sends the machine its reply. */
  private async execute(command: Command): Promise<void> {
    const { clock } = this.services;
    const invokedAt = clock.now();
    let reply: unknown = null;
    let at: number | null = null;
    let channel: string | undefined;
    let guess: Guess | null = null;
    if (command[0] === 'NOW') reply = clock.reading();
    else if (command[0] === 'SLEEP') await clock.sleep(Number(command[1]), this.incarnation.signal);
    else if (isBrokerCommand(command)) ({ reply, channel } = await this.broker.exec(command));
    else if (isEffectCommand(command)) {
      this.waitingForWork = this.services.shop.blocks(command);
      try {
        ({ reply, at } = await this.services.shop.exec(command, () => clock.now(), this.incarnation.signal));
      } finally {
        this.waitingForWork = false;
      }
    } else {
      const pending = this.services.redis(command);
      // While it is on the wire: the step for the reply it most likely gets (step-ahead.ts).
      guess = this.ahead.guess(this.machine!);
      reply = await pending;
    }
    // A command that ran is recorded even when the iteration ended while it was on its way: it happened.
    const stopped = this.incarnation.stopped;
    if (!stopped) this.machine = this.ahead.reply(this.machine!, reply, guess);
    this.services.history.record({ kind: 'command', at: at ?? clock.now(), invokedAt, proc: this.index, view: this.view(), command, reply, ...(channel ? { channel } : {}) });
    if (stopped) throw new Aborted('stopped');
    if (command[0] === 'AMQP.CONSUME') this.broker.startDelivering();
  }

  /** The next delivery or closing notice, waiting for one (idle) while there is none. */
  private async nextItem(): Promise<InboxItem> {
    let item: InboxItem | undefined;
    while ((item = this.broker.take()) === undefined) {
      this.waitingForWork = true;
      try {
        await this.incarnation.park();
      } finally {
        this.waitingForWork = false;
      }
    }
    return item;
  }

  /** Hands an inbox item to the awaiting machine. */
  private take(item: InboxItem): void {
    if (item.kind === 'delivery') this.step({ type: 'delivery', delivery: item.delivery });
    else {
      this.step({ type: 'channel-closed' });
      this.note('closed');
    }
  }

  private step(event: ProtocolEvent): void {
    this.machine = this.stepper.next(this.machine!.snapshot, event);
  }

  /** The process dies: its machine stops, its waits end, its connection closes (the broker requeues its unacked). */
  private async kill(): Promise<void> {
    this.status = 'crashed';
    this.restarting = this.definition.restart;
    this.services.history.record({ kind: 'crash', at: this.services.clock.now(), proc: this.index, view: this.view(), channel: this.broker.consumingChannel });
    this.incarnation.kill();
    await this.broker.shutDown(false);
  }

  private note(kind: 'arrive' | 'resume' | 'restart' | 'done' | 'closed'): void {
    this.services.history.record({ kind, at: this.services.clock.now(), proc: this.index, view: this.view() });
  }
}
