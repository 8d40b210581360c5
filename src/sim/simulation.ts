/**
 * One run of a scenario instance in virtual time: processes, the Redis model, the clocks, and the fault budget.
 * Each `apply` is one atomic step chosen by the explorer. Time passes only by `wait` (to the next timer: a
 * sleep or pause ending, a service restarting, a key expiring) and only when no process is ready and the broker
 * has nothing to deliver, so a process is slow only when a fault (a pause) says so — or, in tick mode, by a
 * `tick` the explorer may choose at any state up to a horizon; processes arrive when the explorer lets them,
 * and a crashed service (a consumer, a relay) is restarted when the explorer lets it. Deterministic: no wall
 * clock, no randomness — the same actions give the same run.
 *
 * The state itself is run-state.ts's; what can happen is worked out in progress.ts, faults.ts, timers.ts and
 * clock-choices.ts, and deliveries and faults land by deliveries.ts and faults.ts.
 */
import { encodeAction, type Action } from './actions.ts';
import { afterOnClock, readClock } from './clock.ts';
import { choosingClocks, clockActions } from './clock-choices.ts';
import { canReceive, deliver, deliverableTags, recordSettled } from './deliveries.ts';
import type { RunEvent } from './events.ts';
import { closeChannel, crash, faultAt, faultCount, isPublishing, isSubscribed, jumpClock, pause, spend } from './faults.ts';
import { isReady, progressOf } from './progress.ts';
import { redisOutcomesOf } from './redis-outcomes.ts';
import { RunState } from './run-state.ts';
import { canRestart, canTick, nextTimer, timePassing, timerInstants } from './timers.ts';
import { execBroker, isBrokerCommand, type PublishLoss } from '../world/amqp/commands.ts';
import { isEffectCommand } from '../world/effects/effects.ts';
import type { Command } from '../../models/protocol.ts';
import type { StepView } from '../../properties/property.ts';
import type { RedisOutcome } from '../world/redis/types.ts';

export { RESTART_DELAY_MS } from './timers.ts';

/** A run in progress: what can happen next in it, and taking it. */
export class Simulation extends RunState {
  /**
   * A copy of this run as it stands (not recording), to branch the search. The two share every process and
   * part until one of them changes it; then that one copies it first.
   * @example const next = simulation.branch(); next.apply(action)
   */
  branch(): Simulation {
    if (this.redisOutcomes === undefined) this.redisOutcomes = redisOutcomesOf(this.run);
    for (const p of this.processes) p.shared = true;
    this.redis.shared = true;
    this.broker.shared = true;
    this.shop.shared = true;
    return new Simulation(this.run, false, this);
  }

  /** Actions that make progress, in a fixed order: steps of ready processes, arrivals and restarts, deliveries, `wait`. */
  progressActions(): readonly Action[] {
    if (this.choosingClocks) return clockActions(this.run.clockChoices, this.clocksChosen);
    return progressOf(this.run, this.processes, this.now, this.shop.value, this.broker.value, this.redis.value);
  }

  /** True when nothing can progress: every process finished, crashed for good, blocked or awaiting in vain. */
  isQuiescent(): boolean {
    return this.progressActions().length === 0;
  }

  /**
   * How many faults could land now, numbered 0 … count − 1 as faults.ts's `faultCount` says (none while clocks
   * are being chosen): `fault(k, ms)` makes the k-th one.
   */
  faultCount(): number {
    if (this.choosingClocks) return 0;
    return faultCount(this.left, this.processes, this.now, this.shop.value, this.redis.value.count);
  }

  /** The k-th fault of `faultCount`'s numbering; `ms` is the length if it is a pause. */
  fault(k: number, ms: number): Action {
    return faultAt(k, ms, this.left, this.run.faults, this.processes, this.now, this.shop.value);
  }

  /** The run starts by choosing clocks, and some are still to choose. */
  private get choosingClocks(): boolean {
    return choosingClocks(this.run.clockChoices, this.clocksChosen);
  }

  /** Whether `action` can be taken now. */
  isEnabled(action: Action): boolean {
    const { processes, now, left } = this;
    const shop = this.shop.value;
    if (this.choosingClocks || action.kind === 'clock') {
      return clockActions(this.run.clockChoices, this.clocksChosen).some((a) => encodeAction(a) === encodeAction(action));
    }
    switch (action.kind) {
      case 'step': return isReady(processes[action.proc], now, shop);
      case 'arrive': return !processes[action.proc].arrived;
      case 'wait': return this.progressActions().some((a) => a.kind === 'wait');
      case 'tick': return canTick(this.run.faults, now);
      case 'deliver': return canReceive(processes[action.proc], now, deliverableTags(this.broker.value));
      case 'pause': return left.pauses > 0 && processes[action.proc].live && action.ms >= 1 && action.ms <= this.maxPauseMs;
      case 'crash': return left.crashes > 0 && processes[action.proc].live;
      case 'restart': return canRestart(processes[action.proc], this.run.processes[action.proc], now);
      case 'lose': return left.losses > 0 && isPublishing(processes[action.proc], now, shop, false);
      case 'lose-confirm': return left.losses > 0 && isPublishing(processes[action.proc], now, shop, true);
      case 'close': return left.closes > 0 && isSubscribed(processes[action.proc]);
      case 'jump': return left.jumps > 0 && action.node < processes.length + this.redis.value.count && action.by !== 0;
    }
  }

  /** Takes `action`, which must be enabled. */
  apply(action: Action): void {
    this.step = null;
    switch (action.kind) {
      case 'step': return this.runCommand(action.proc);
      // Arriving and sending the first command are one step: nothing can observe the moment in between, so
      // splitting them would only multiply equivalent interleavings. A restart likewise.
      case 'arrive':
      case 'restart': return this.enter(action.proc, action.kind);
      case 'lose':
      case 'lose-confirm':
        this.left = spend(this.left, 'losses');
        return this.runCommand(action.proc, action.kind === 'lose' ? 'message' : 'confirm');
      case 'jump': return this.jump(action.node, action.by);
      case 'clock': {
        const clock = { offset: action.offset, driftPpm: action.driftPpm, jumps: [] };
        if (action.node < this.processes.length) this.procToWrite(action.node).clock = clock;
        else this.redisToWrite().setClock(action.node - this.processes.length, clock);
        this.clocksChosen++;
        return;
      }
      case 'close':
        this.left = spend(this.left, 'closes');
        this.broker = closeChannel(this.procToWrite(action.proc), action.proc, this.broker, this.now, this.events);
        return;
      case 'wait': return this.advanceTo(nextTimer(this.processes, this.run.processes, this.redis.value, this.now)!);
      case 'tick': return this.advanceTo(this.now + this.run.faults.tickMs!);
      case 'deliver':
        this.broker = deliver(this.procToWrite(action.proc), action.proc, this.broker, this.now, this.events);
        return;
      case 'pause':
        this.left = spend(this.left, 'pauses');
        return pause(this.procToWrite(action.proc), action.proc, action.ms, this.now, this.events);
      case 'crash':
        this.left = spend(this.left, 'crashes');
        this.broker = crash(this.procToWrite(action.proc), action.proc, this.broker, this.now, this.events);
        return;
    }
  }

  /** Process `proc` arrives, or a crashed service restarts, and sends its first command if it can. */
  private enter(proc: number, kind: 'arrive' | 'restart'): void {
    const p = this.procToWrite(proc);
    if (kind === 'arrive') p.arrived = true;
    else p.restart();
    p.live = !p.local.done;
    this.events?.push({ kind, t: this.now, proc, clock: readClock(p.clock, this.now) });
    if (isReady(p, this.now, this.shop.value)) this.runCommand(proc);
  }

  /** A clock jump lands now on `node` (a process, or past them a Redis server): its readings move by `by`. */
  private jump(node: number, by: number): void {
    this.left = spend(this.left, 'jumps');
    if (node < this.processes.length) return jumpClock(this.procToWrite(node), node, by, this.now, this.events);
    const events = this.redisToWrite().jump(node - this.processes.length, this.now, by);
    this.events?.push(...events);
  }

  /**
   * Every instant ahead at which something happens by itself (a wake, a restart, a key expiring), ascending:
   * the moments a pause can end just before or after.
   */
  timers(): number[] {
    return timerInstants(this.processes, this.run.processes, this.redis.value, this.now);
  }

  /** Whether something will happen by itself later (a wake, a restart, a key expiring, a tick): time has a reason to pass. */
  hasPendingTimer(): boolean {
    return canTick(this.run.faults, this.now) || nextTimer(this.processes, this.run.processes, this.redis.value, this.now) !== null;
  }

  private advanceTo(t: number): void {
    if (this.events) this.events.push(...timePassing(this.processes, this.redis.value, this.now, t));
    this.now = t;
  }

  /** Runs a Redis command; in a search, by the outcome shared by every state that runs it in the same Redis state. */
  private execRedis(command: Command): RedisOutcome {
    if (!this.redisOutcomes) return this.redisToWrite().exec(command, this.now);
    const outcome = this.redisOutcomes.exec(this.redis, command, this.now);
    this.redis = outcome.after;
    return outcome;
  }

  /** Runs the process's pending command; `loss`: how a publish goes wrong, if it does. */
  private runCommand(proc: number, loss: PublishLoss | null = null): void {
    const p = this.procToWrite(proc);
    const command = p.local.command!;
    let reply: unknown = null;
    let changes: StepView['changes'] = [];
    let until: number | undefined;
    let lost: RunEvent | null = null;
    if (command[0] === 'NOW') reply = readClock(p.clock, this.now);
    else if (command[0] === 'SLEEP') p.sleepUntil = until = afterOnClock(p.clock, this.now, command[1] as number);
    else if (isBrokerCommand(command)) {
      const outcome = execBroker(this.brokerToWrite(), p.name, command, loss);
      reply = outcome.reply;
      if (command[0] === 'AMQP.CONSUME' && typeof reply === 'string') {
        p.consumerTag = reply;
        p.channelClosed = false;
      }
      recordSettled(this.events, this.now, outcome.settled);
      if (outcome.lost) {
        const what = outcome.lost === 'confirm' ? 'confirm' : reply === 'nack' ? 'nacked' : 'message';
        lost = { kind: 'lost', t: this.now, clock: this.now, messageId: String(command[3] ?? ''), queue: String(command[1]), what };
      }
    } else if (isEffectCommand(command)) reply = this.shopToWrite().exec(command, this.now);
    else ({ reply, changes } = this.execRedis(command));
    p.local = p.cache.reply(p.local, reply);
    if (p.local.done) p.live = false;
    // One record per run, rewritten at each step: properties read it at once, and the search takes millions.
    const step = (this.lastStep ??= { proc, command, reply, changes });
    step.proc = proc;
    step.command = command;
    step.reply = reply;
    step.changes = changes;
    this.step = step;
    if (!this.events) return;
    const clock = readClock(p.clock, this.now);
    this.events.push({ kind: 'command', t: this.now, proc, clock, command, reply, changes, ...(until === undefined ? {} : { until }) });
    if (lost) this.events.push(lost);
    if (p.local.done) this.events.push({ kind: 'done', t: this.now, proc, clock });
  }
}
