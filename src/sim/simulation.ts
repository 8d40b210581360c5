/**
 * One run of a scenario instance in virtual time: processes, the Redis model, the clocks, and the fault budget.
 * Each `apply` is one atomic step chosen by the explorer. Time passes only by `wait` (to the next timer: a
 * sleep or pause ending, a service restarting, a key expiring) and only when no process is ready and the broker
 * has nothing to deliver, so a process is slow only when a fault (a pause) says so — or, in tick mode, by a
 * `tick` the explorer may choose at any state up to a horizon; processes arrive when the explorer lets them, and a crashed service (a consumer, a
 * relay) is restarted when the explorer lets it. Deterministic: no wall clock, no randomness — the same actions
 * give the same run.
 */
import { encodeAction, type Action, type FaultBudget } from './actions.ts';
import { afterOnClock, readClock, type ClockSpec } from './clock.ts';
import type { RunEvent } from './events.ts';
import type { LocalState, MachineCache } from './machine-cache.ts';
import { Proc } from './proc.ts';
import { RedisServers, type KeyReading } from './redis-servers.ts';
import { twinGroups } from './twins.ts';
import { BrokerModel } from '../world/amqp/broker.ts';
import type { BrokerSnapshot } from '../world/amqp/snapshot.ts';
import { execBroker, isBrokerCommand, isConfirmedPublish, type PublishLoss } from '../world/amqp/commands.ts';
import { Effects, isEffectCommand } from '../world/effects/effects.ts';
import type { Command } from '../../models/protocol.ts';
import type { StepView, WorldView } from '../../properties/property.ts';
import type { Settlement } from '../world/amqp/types.ts';
import type { QueueSpec } from '../scenario.ts';

/** A process ready to be simulated: its memoised machine and its start state. */
export interface CompiledProcess {
  /** Lane name. */
  readonly name: string;
  /** The memoised machine. */
  readonly cache: MachineCache;
  /** Local state on arrival. */
  readonly start: LocalState;
  /** A supervisor restarts it after a crash (a service); otherwise a crash ends it (a shopper's request). */
  readonly restart: boolean;
  /** A long-running service: waiting for work at the end of a run is not a deadlock. */
  readonly service: boolean;
}

/** The clocks of every node: one per process, in process order, and one per Redis server. */
export interface ClockPlan {
  /** Process clocks, by process index. */
  readonly processes: readonly ClockSpec[];
  /**
   * The Redis servers' clocks, on which their TTLs run: `redis` (the store, and the lock server of a single-
   * instance lock) first, then Redlock's instances `redis-1`, `redis-2`, … that commands address as `@1`, `@2`, ….
   */
  readonly servers: readonly ClockSpec[];
}

/**
 * Clocks the explorer chooses at the start of a run, one node at a time, from bounded sets: so exhaustive search
 * answers "does any offset or drift within these bounds break it?".
 */
export interface ClockChoices {
  /** The nodes whose clocks are chosen (processes first, then Redis servers), in the order they are chosen. */
  readonly nodes: readonly number[];
  /** The offsets a chosen clock may have, ms. */
  readonly offsets: readonly number[];
  /** The drifts a chosen clock may have, ppm. */
  readonly drifts: readonly number[];
}

/** Everything a run needs besides the schedule. */
export interface RunSetup {
  /** The processes. */
  readonly processes: readonly CompiledProcess[];
  /** Commands run at true time 0, Redis or broker. */
  readonly setup: readonly Command[];
  /** Broker queues declared before the setup runs. */
  readonly queues: readonly QueueSpec[];
  /** Every node's clock. */
  readonly clocks: ClockPlan;
  /** What faults may land. */
  readonly faults: FaultBudget;
  /** Clocks chosen by the explorer before anything else happens, replacing the plan's for those nodes. */
  readonly clockChoices?: ClockChoices;
}

// Shared action objects: the search takes millions of steps and would otherwise allocate one per candidate.
const STEP: Action[] = [];
const ARRIVE: Action[] = [];
const DELIVER: Action[] = [];
const RESTART: Action[] = [];
const stepOf = (proc: number): Action => (STEP[proc] ??= { kind: 'step', proc });
const deliveryTo = (proc: number): Action => (DELIVER[proc] ??= { kind: 'deliver', proc });
const arrivalOf = (proc: number): Action => (ARRIVE[proc] ??= { kind: 'arrive', proc });
const restartOf = (proc: number): Action => (RESTART[proc] ??= { kind: 'restart', proc });
const WAIT: Action = { kind: 'wait' };
const TICK: Action = { kind: 'tick' };

/**
 * How long a supervisor takes to restart a crashed service, ms of true time (systemd's `RestartSec` defaults
 * to 100 ms, Kubernetes backs off from 10 s): long enough that a peer may take over its messages first.
 */
export const RESTART_DELAY_MS = 1000;

/** A run in progress. */
export class Simulation implements WorldView {
  now = 0;
  /** The step just taken; the object is reused by the next step, so read it, do not keep it. */
  step: StepView | null = null;
  private readonly lastStep: { proc: number; command: Command; reply: unknown; changes: StepView['changes'] } = { proc: 0, command: [], reply: null, changes: [] };
  readonly processes: readonly Proc[];
  /** The Redis servers, on their clocks (the plan's, until a jump lands on one). */
  private readonly redis: RedisServers;
  private readonly broker: BrokerModel;
  /** The payment gateway, the orders table and the mailer. */
  readonly effects: Effects;
  /** Each process's consumer tag once it consumes (one consumer per process, on a channel named after it). */
  private readonly consumerTags: (string | null)[];
  /** The broker closed the process's channel and the process has not yet heard (it hears when it awaits). */
  private readonly closedUnder: boolean[];
  private pausesLeft: number;
  private crashesLeft: number;
  private lossesLeft: number;
  private closesLeft: number;
  private jumpsLeft: number;
  /** How many of `run.clockChoices.nodes` have had their clock chosen. */
  private clocksChosen = 0;
  private liveCount = 0;
  /** Recorded events, when recording. */
  readonly events: RunEvent[] | null;

  /** Starts a run of `run` (recording events if `record`); or, given `from`, copies that run to branch off it. */
  constructor(private readonly run: RunSetup, record = false, from?: Simulation) {
    if (from) {
      this.now = from.now;
      this.processes = from.processes.map((p) => p.clone());
      this.redis = from.redis.clone();
      this.jumpsLeft = from.jumpsLeft;
      this.clocksChosen = from.clocksChosen;
      this.broker = from.broker.clone();
      this.effects = from.effects.clone();
      this.consumerTags = [...from.consumerTags];
      this.closedUnder = [...from.closedUnder];
      this.pausesLeft = from.pausesLeft;
      this.crashesLeft = from.crashesLeft;
      this.lossesLeft = from.lossesLeft;
      this.closesLeft = from.closesLeft;
      this.liveCount = from.liveCount;
      this.events = null;
      return;
    }
    // Loops rather than callbacks on the per-run and per-step paths: tsx wraps every function it creates.
    const processes: Proc[] = [];
    for (let i = 0; i < run.processes.length; i++) {
      const p = run.processes[i];
      processes.push(new Proc(p.name, p.cache, p.start, run.clocks.processes[i], p.service));
    }
    this.processes = processes;
    this.redis = RedisServers.on(run.clocks.servers);
    this.broker = new BrokerModel();
    this.effects = new Effects();
    this.consumerTags = new Array<string | null>(processes.length).fill(null);
    this.closedUnder = new Array<boolean>(processes.length).fill(false);
    for (const queue of run.queues) this.broker.declareQueue(queue.name, queue);
    for (const cmd of run.setup) {
      if (isBrokerCommand(cmd)) execBroker(this.broker, 'setup', cmd);
      else if (isEffectCommand(cmd)) this.effects.exec(cmd, 0);
      else this.redis.exec(cmd, this.now);
    }
    this.pausesLeft = run.faults.pauses;
    this.crashesLeft = run.faults.crashes;
    this.lossesLeft = run.faults.losses;
    this.closesLeft = run.faults.closes;
    this.jumpsLeft = run.faults.jumps;
    this.events = record ? [] : null;
  }

  /**
   * An independent copy of this run as it stands (not recording), to branch the search.
   * @example const next = simulation.branch(); next.apply(action)
   */
  branch(): Simulation {
    return new Simulation(this.run, false, this);
  }

  /**
   * A canonical text of the whole state: true time, every process, Redis, the broker, the shop's systems and
   * what is left of the fault budget. Equal fingerprints, equal futures (so the search visits it once).
   * With `symmetric`, interchangeable processes ({@link twinGroups}) are told apart by nothing but their
   * state: each one's text carries its own channel and consumer, and the texts of a group are sorted, so two
   * states that differ only by which twin is which get one fingerprint.
   */
  fingerprint(symmetric = false): string {
    // Clocks change only by jumps and choices: with neither, the plan's clocks are the same in every state.
    const clocksVary = this.run.faults.jumps > 0 || this.run.clockChoices !== undefined;
    const budget = `${this.pausesLeft},${this.crashesLeft},${this.lossesLeft},${this.closesLeft},${this.jumpsLeft},${this.clocksChosen}`;
    // A process's clock goes with its own text, so that symmetry never swaps two twins' states but not their clocks.
    const clockOf = (proc: number) => (clocksVary ? `/${JSON.stringify(this.processes[proc].clock)}` : '');
    const redis = this.redis.fingerprint(this.now, clocksVary);
    const effects = this.effects.fingerprint(this.now);
    if (!symmetric) {
      const processes = this.processes.map((p, i) => `${p.fingerprint(this.now)}/${this.consumerTags[i] ?? ''}/${+this.closedUnder[i]}${clockOf(i)}`).join(';');
      return `${this.now}|${processes}|${redis}|${this.broker.fingerprint()}|${effects}|${budget}`;
    }
    const { channels, consumers, ...shared } = this.broker.snapshot();
    const own = (proc: number) => {
      const name = this.processes[proc].name;
      const channel = channels.find((c) => c.name === name);
      const subscriptions = consumers.filter((c) => c.channel === name).map(({ channel: _, ...rest }) => rest);
      const tail = JSON.stringify([channel ? [channel.nextDeliveryTag, channel.unacked] : null, subscriptions]);
      return `${this.processes[proc].fingerprint(this.now)}/${this.consumerTags[proc] ?? ''}/${+this.closedUnder[proc]}/${tail}${clockOf(proc)}`;
    };
    const processes = twinGroups(this.run).map((group) => group.map(own).sort().join(',')).join(';');
    const names = new Set(this.processes.map((p) => p.name));
    const others = JSON.stringify([shared, channels.filter((c) => !names.has(c.name)), consumers.filter((c) => !names.has(c.channel))]);
    return `${this.now}|${processes}|${redis}|${others}|${effects}|${budget}`;
  }

  /**
   * Every instant ahead at which something happens by itself (a wake, a restart, a key expiring), ascending:
   * the moments a pause can end just before or after.
   */
  timers(): number[] {
    const instants = new Set<number>();
    for (let proc = 0; proc < this.processes.length; proc++) {
      const instant = this.timerOf(proc);
      if (instant !== null) instants.add(instant);
    }
    for (const instant of this.redis.expiryInstants(this.now)) instants.add(instant);
    return [...instants].sort((a, b) => a - b);
  }

  /** A key's value on the `redis` server (the store) now. */
  get(key: string): string | null {
    return this.redis.get(key, this.now);
  }

  /** A Redis server's clock reading now (by default the store's). */
  serverClock(instance = 0): number {
    return this.redis.reading(instance, this.now);
  }

  /** Every Redis server's live keys now (the store first), with values and TTLs: for the play page. */
  redisContents(): KeyReading[][] {
    return this.redis.contents(this.now);
  }

  /** The broker's whole state now, as plain data: for the play page. */
  brokerSnapshot(): BrokerSnapshot {
    return this.broker.snapshot();
  }

  /** The fault budget's bound on pause length. */
  get maxPauseMs(): number {
    return this.run.faults.maxPauseMs;
  }

  /** Actions that make progress, in a fixed order: steps of ready processes, arrivals and restarts, deliveries, `wait`. */
  progressActions(): readonly Action[] {
    if (this.choosingClocks) return this.clockActions();
    const actions: Action[] = [];
    const count = this.processes.length;
    for (let proc = 0; proc < count; proc++) if (this.isReady(this.processes[proc])) actions.push(stepOf(proc));
    const anyReady = actions.length > 0;
    let anyAwaiting = false;
    for (let proc = 0; proc < count; proc++) {
      const p = this.processes[proc];
      if (!p.arrived) actions.push(arrivalOf(proc));
      else if (this.canRestart(proc)) actions.push(restartOf(proc));
      else if (p.live && p.local.awaiting) anyAwaiting = true;
    }
    let anyDelivery = false;
    if (anyAwaiting) {
      const deliverable = this.deliverableTags();
      for (let proc = 0; proc < count; proc++) {
        if (this.canReceive(proc, deliverable)) {
          actions.push(deliveryTo(proc));
          anyDelivery = true;
        }
      }
    }
    if (this.canTick()) actions.push(TICK);
    // The broker pushes a message to an idle consumer at once: time passes only when nobody can act.
    else if (!anyReady && !anyDelivery && this.nextTimer() !== null) actions.push(WAIT);
    return actions;
  }

  /** True when nothing can progress: every process finished, crashed for good, blocked or awaiting in vain. */
  isQuiescent(): boolean {
    return this.progressActions().length === 0;
  }

  /**
   * The faults that could land now, numbered 0 … count − 1: first a pause of each live process (while pauses
   * are left), then a crash of each (while crashes are left), then — while losses are left — a lost message of
   * each process about to publish and a lost confirm of each about to publish with confirms, then a channel
   * close of each consumer (while closes are left).
   * `fault(k, ms)` makes the k-th one.
   */
  faultCount(): number {
    if (this.choosingClocks) return 0;
    if (this.pausesLeft === 0 && this.crashesLeft === 0 && this.lossesLeft === 0 && this.closesLeft === 0 && this.jumpsLeft === 0) return 0;
    let others = this.jumpsLeft > 0 ? 2 * (this.processes.length + this.redis.count) : 0;
    for (let proc = 0; proc < this.processes.length; proc++) {
      if (this.lossesLeft > 0 && this.isPublishing(proc, false)) others++;
      if (this.lossesLeft > 0 && this.isPublishing(proc, true)) others++;
      if (this.closesLeft > 0 && this.isSubscribed(proc)) others++;
    }
    return (this.pausesLeft > 0 ? this.liveCount : 0) + (this.crashesLeft > 0 ? this.liveCount : 0) + others;
  }

  /** The k-th fault of `faultCount`'s numbering; `ms` is the length if it is a pause. */
  fault(k: number, ms: number): Action {
    const live: number[] = [];
    this.processes.forEach((p, i) => p.live && live.push(i));
    const pauses = this.pausesLeft > 0 ? live.length : 0;
    const crashes = this.crashesLeft > 0 ? live.length : 0;
    if (k < pauses) return { kind: 'pause', proc: live[k], ms };
    if (k < pauses + crashes) return { kind: 'crash', proc: live[k - pauses] };
    const procs = this.processes.map((_, proc) => proc);
    const losers = this.lossesLeft > 0 ? procs.filter((proc) => this.isPublishing(proc, false)) : [];
    const confirmers = this.lossesLeft > 0 ? procs.filter((proc) => this.isPublishing(proc, true)) : [];
    let rest = k - pauses - crashes;
    if (rest < losers.length) return { kind: 'lose', proc: losers[rest] };
    rest -= losers.length;
    if (rest < confirmers.length) return { kind: 'lose-confirm', proc: confirmers[rest] };
    rest -= confirmers.length;
    const subscribed = this.closesLeft > 0 ? procs.filter((proc) => this.isSubscribed(proc)) : [];
    if (rest < subscribed.length) return { kind: 'close', proc: subscribed[rest] };
    rest -= subscribed.length;
    // Jumps last: each node (processes, then Redis servers), forward then back.
    return { kind: 'jump', node: rest >> 1, by: rest % 2 === 0 ? this.run.faults.maxJumpMs : -this.run.faults.maxJumpMs };
  }

  /** Live, with a consumer on an open channel the broker could close. */
  private isSubscribed(proc: number): boolean {
    return this.processes[proc].live && this.consumerTags[proc] !== null;
  }

  /** Its next step is a publish (with confirms, if `confirmed`), which could go wrong. */
  private isPublishing(proc: number, confirmed: boolean): boolean {
    const p = this.processes[proc];
    return this.isReady(p) && p.local.command![0] === 'AMQP.PUBLISH' && (!confirmed || isConfirmedPublish(p.local.command!));
  }

  /** The run starts by choosing clocks, and some are still to choose. */
  private get choosingClocks(): boolean {
    return this.run.clockChoices !== undefined && this.clocksChosen < this.run.clockChoices.nodes.length;
  }

  /** The choices of clock for the next node whose clock is chosen (none once all are). */
  private clockActions(): Action[] {
    if (!this.choosingClocks) return [];
    const { nodes, offsets, drifts } = this.run.clockChoices!;
    const node = nodes[this.clocksChosen];
    return offsets.flatMap((offset) => drifts.map((driftPpm): Action => ({ kind: 'clock', node, offset, driftPpm })));
  }

  /** Tick mode, with the horizon not yet reached. */
  private canTick(): boolean {
    const tick = this.run.faults.tickMs ?? 0;
    return tick > 0 && this.now + tick <= (this.run.faults.horizonMs ?? 0);
  }

  private canRestart(proc: number): boolean {
    const at = this.restartAt(proc);
    return at !== null && at <= this.now;
  }

  /** When a crashed service comes back; `null` for a process that is not down or is never restarted. */
  private restartAt(proc: number): number | null {
    const p = this.processes[proc];
    return p.crashed && this.run.processes[proc].restart ? p.crashedAt + RESTART_DELAY_MS : null;
  }

  /** Whether `action` can be taken now. */
  isEnabled(action: Action): boolean {
    if (this.choosingClocks || action.kind === 'clock') return this.clockActions().some((a) => encodeAction(a) === encodeAction(action));
    switch (action.kind) {
      case 'step': return this.isReady(this.processes[action.proc]);
      case 'arrive': return !this.processes[action.proc].arrived;
      case 'wait': return this.progressActions().includes(WAIT);
      case 'tick': return this.canTick();
      case 'deliver': return this.canReceive(action.proc, this.deliverableTags());
      case 'pause': return this.pausesLeft > 0 && this.processes[action.proc].live && action.ms >= 1 && action.ms <= this.maxPauseMs;
      case 'crash': return this.crashesLeft > 0 && this.processes[action.proc].live;
      case 'restart': return this.canRestart(action.proc);
      case 'lose': return this.lossesLeft > 0 && this.isPublishing(action.proc, false);
      case 'lose-confirm': return this.lossesLeft > 0 && this.isPublishing(action.proc, true);
      case 'close': return this.closesLeft > 0 && this.isSubscribed(action.proc);
      case 'jump': return this.jumpsLeft > 0 && action.node < this.processes.length + this.redis.count && action.by !== 0;
    }
  }

  /** Takes `action`, which must be enabled. */
  apply(action: Action): void {
    this.step = null;
    switch (action.kind) {
      case 'step': return this.runCommand(action.proc);
      case 'arrive': {
        // Arriving and sending the first command are one step: nothing can observe the moment in between,
        // so splitting them would only multiply equivalent interleavings.
        const p = this.processes[action.proc];
        p.arrived = true;
        this.setLive(p, !p.local.done);
        this.events?.push({ kind: 'arrive', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        if (this.isReady(p)) this.runCommand(action.proc);
        return;
      }
      case 'restart': {
        const p = this.processes[action.proc];
        p.restart();
        this.setLive(p, !p.local.done);
        this.events?.push({ kind: 'restart', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        if (this.isReady(p)) this.runCommand(action.proc);
        return;
      }
      case 'lose':
      case 'lose-confirm':
        this.lossesLeft--;
        return this.runCommand(action.proc, action.kind === 'lose' ? 'message' : 'confirm');
      case 'jump': return this.jump(action.node, action.by);
      case 'clock': {
        const clock = { offset: action.offset, driftPpm: action.driftPpm, jumps: [] };
        if (action.node < this.processes.length) this.processes[action.node].clock = clock;
        else this.redis.setClock(action.node - this.processes.length, clock);
        this.clocksChosen++;
        return;
      }
      case 'close': {
        const p = this.processes[action.proc];
        this.closesLeft--;
        this.events?.push({ kind: 'close', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        this.recordSettled(this.broker.closeChannel(p.name));
        this.consumerTags[action.proc] = null;
        this.closedUnder[action.proc] = true;
        return;
      }
      case 'wait': return this.advanceTo(this.nextTimer()!);
      case 'tick': return this.advanceTo(this.now + this.run.faults.tickMs!);
      case 'deliver': return this.deliver(action.proc);
      case 'pause': {
        const p = this.processes[action.proc];
        p.pausedUntil = Math.max(p.pausedUntil, this.now + action.ms);
        this.pausesLeft--;
        this.events?.push({ kind: 'pause', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now), ms: action.ms });
        return;
      }
      case 'crash': {
        const p = this.processes[action.proc];
        p.crashed = true;
        p.crashedAt = this.now;
        this.setLive(p, false);
        this.crashesLeft--;
        this.events?.push({ kind: 'crash', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        // Its connection drops: the broker closes the channel and requeues what it had not acked.
        if (this.consumerTags[action.proc] !== null) this.recordSettled(this.broker.closeChannel(p.name));
        this.consumerTags[action.proc] = null;
        this.closedUnder[action.proc] = false;
        return;
      }
    }
  }

  /** A clock jump lands now on `node` (a process, or past them a Redis server): its readings move by `by`. */
  private jump(node: number, by: number): void {
    this.jumpsLeft--;
    if (node < this.processes.length) {
      const p = this.processes[node];
      p.clock = { ...p.clock, jumps: [...p.clock.jumps, { at: this.now, by }] };
      this.events?.push({ kind: 'jump', t: this.now, proc: node, clock: readClock(p.clock, this.now), by });
      return;
    }
    const events = this.redis.jump(node - this.processes.length, this.now, by);
    this.events?.push(...events);
  }

  private setLive(p: Proc, live: boolean): void {
    if (p.live !== live) this.liveCount += live ? 1 : -1;
    p.live = live;
  }

  /**
   * Ready to run its pending command: not a consumer awaiting a delivery (the broker acts next), not a command
   * that would block (a relay waiting for an outbox row).
   */
  private isReady(p: Proc): boolean {
    return p.live && !p.local.awaiting && p.wakesAt() <= this.now && !this.effects.blocks(p.local.command!);
  }

  /** The consumers the broker could deliver to now. */
  private deliverableTags(): ReadonlySet<string> {
    return new Set(this.broker.deliverable().map((d) => d.consumerTag));
  }

  /** Awaiting, not paused, and its consumer has a message it may take (or its channel's closing to hear of). */
  private canReceive(proc: number, deliverable: ReadonlySet<string>): boolean {
    const p = this.processes[proc];
    const tag = this.consumerTags[proc];
    return p.live && p.local.awaiting && p.wakesAt() <= this.now && (this.closedUnder[proc] || (tag !== null && deliverable.has(tag)));
  }

  private deliver(proc: number): void {
    const p = this.processes[proc];
    if (this.closedUnder[proc]) {
      this.closedUnder[proc] = false;
      p.local = p.cache.channelClosed(p.local);
      this.events?.push({ kind: 'closed', t: this.now, proc, clock: readClock(p.clock, this.now) });
      return;
    }
    const delivery = this.broker.deliver(this.consumerTags[proc]!);
    p.local = p.cache.deliver(p.local, delivery);
    if (p.local.done) this.setLive(p, false);
    if (!this.events) return;
    this.events.push({ kind: 'deliver', t: this.now, proc, clock: readClock(p.clock, this.now), delivery });
    // For the record: an auto-ack delivery is settled the moment it is sent.
    if (this.broker.consumer(delivery.consumerTag)?.autoAck) {
      const { messageId, queue, deliveryTag } = delivery;
      this.events.push({ kind: 'settle', t: this.now, clock: this.now, settlement: { messageId, queue, deliveryTag, outcome: 'acked' } });
    }
  }

  /** For the record: messages the broker put back, dead-lettered or dropped (acks show as the command). */
  private recordSettled(settled: readonly Settlement[]): void {
    for (const s of settled) {
      if (s.outcome !== 'acked') this.events?.push({ kind: 'settle', t: this.now, clock: this.now, settlement: s });
    }
  }

  /**
   * The earliest future instant at which something happens by itself: a process wakes, a crashed service is
   * restarted, a key expires.
   */
  /** When a process next acts by itself: a sleep or pause ending, or its restart after a crash; `null` if never. */
  private timerOf(proc: number): number | null {
    const p = this.processes[proc];
    if (p.live) return p.wakesAt() > this.now ? p.wakesAt() : null;
    const restart = this.restartAt(proc);
    return restart !== null && restart > this.now ? restart : null;
  }

  /** Whether something will happen by itself later (a wake, a restart, a key expiring, a tick): time has a reason to pass. */
  hasPendingTimer(): boolean {
    return this.canTick() || this.nextTimer() !== null;
  }

  private nextTimer(): number | null {
    let next = Number.POSITIVE_INFINITY;
    for (let proc = 0; proc < this.processes.length; proc++) {
      const instant = this.timerOf(proc);
      if (instant !== null) next = Math.min(next, instant);
    }
    const expiry = this.redis.nextExpiry(this.now);
    if (expiry !== null) next = Math.min(next, expiry);
    return Number.isFinite(next) ? next : null;
  }

  private advanceTo(t: number): void {
    if (this.events) this.events.push(...this.timePassing(t));
    this.now = t;
  }

  /** For the record: what happens while time passes from now to `t` — expiries, clock jumps, resumptions. */
  private timePassing(t: number): RunEvent[] {
    const passing = this.redis.passing(this.now, t);
    for (let proc = 0; proc < this.processes.length; proc++) {
      const clock = this.processes[proc].clock;
      for (const j of clock.jumps) if (j.at > this.now && j.at <= t) passing.push({ kind: 'jump', t: j.at, proc, clock: readClock(clock, j.at), by: j.by });
    }
    passing.sort((a, b) => a.t - b.t || (a.kind === 'jump' ? -1 : 1));
    this.processes.forEach((p, proc) => {
      if (p.live && p.pausedUntil === t) passing.push({ kind: 'resume', t, proc, clock: readClock(p.clock, t) });
    });
    return passing;
  }

  /** Runs the process's pending command; `loss`: how a publish goes wrong, if it does. */
  private runCommand(proc: number, loss: PublishLoss | null = null): void {
    const p = this.processes[proc];
    const command = p.local.command!;
    let reply: unknown = null;
    let changes: StepView['changes'] = [];
    let until: number | undefined;
    let lost: RunEvent | null = null;
    if (command[0] === 'NOW') reply = readClock(p.clock, this.now);
    else if (command[0] === 'SLEEP') p.sleepUntil = until = afterOnClock(p.clock, this.now, command[1] as number);
    else if (isBrokerCommand(command)) {
      const outcome = execBroker(this.broker, p.name, command, loss);
      reply = outcome.reply;
      if (command[0] === 'AMQP.CONSUME' && typeof reply === 'string') {
        this.consumerTags[proc] = reply;
        this.closedUnder[proc] = false;
      }
      this.recordSettled(outcome.settled);
      if (outcome.lost) {
        const what = outcome.lost === 'confirm' ? 'confirm' : reply === 'nack' ? 'nacked' : 'message';
        lost = { kind: 'lost', t: this.now, clock: this.now, messageId: String(command[3] ?? ''), queue: String(command[1]), what };
      }
    } else if (isEffectCommand(command)) reply = this.effects.exec(command, this.now);
    else ({ reply, changes } = this.redis.exec(command, this.now));
    p.local = p.cache.reply(p.local, reply);
    if (p.local.done) this.setLive(p, false);
    // One record per run, rewritten at each step: properties read it at once, and the search takes millions.
    const step = this.lastStep;
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
