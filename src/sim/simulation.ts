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
import { Hash64, type Fingerprint } from './hash64.ts';
import type { LocalState, MachineCache } from './machine-cache.ts';
import { Part } from './part.ts';
import { Proc } from './proc.ts';
import { redisOutcomesOf, type RedisOutcomes } from './redis-outcomes.ts';
import { hashServers, RedisServers, type KeyReading } from './redis-servers.ts';
import { hashBroker, hashEffects, hashTwins, type FaultsLeft } from './state-fingerprint.ts';
import { BrokerModel } from '../world/amqp/broker.ts';
import type { BrokerSnapshot } from '../world/amqp/snapshot.ts';
import { execBroker, isBrokerCommand, isConfirmedPublish, type PublishLoss } from '../world/amqp/commands.ts';
import { Effects, isEffectCommand } from '../world/effects/effects.ts';
import type { Command } from '../../models/protocol.ts';
import type { StepView, WorldView } from '../../properties/property.ts';
import type { Settlement } from '../world/amqp/types.ts';
import type { RedisOutcome } from '../world/redis/types.ts';
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

/** What a step record holds; the record is rewritten by each step. */
type StepRecord = { proc: number; command: Command; reply: unknown; changes: StepView['changes'] };


/** The hash a state's fingerprint is built in. */
const stateHash = new Hash64();

/** A run in progress. */
export class Simulation implements WorldView {
  now = 0;
  /** The step just taken; the object is reused by the next step, so read it, do not keep it. */
  step: StepView | null = null;
  /** The record `step` points to after a command, made at the first one. */
  private lastStep: StepRecord | null = null;
  /** The processes; a branch shares each with its parent until one of them changes it (see `procToWrite`). */
  readonly processes: Proc[];
  // The Redis servers (on their clocks: the plan's, until a jump lands on one), the broker, and the payment
  // gateway, orders table and mailer: each shared with a branch until one of them changes it.
  private redis: Part<RedisServers>;
  private broker: Part<BrokerModel>;
  private shop: Part<Effects>;
  /**
   * Redis outcomes shared with other states of a search (see redis-outcomes.ts): unset until the run is first
   * branched (then it is being searched), `null` where they cannot be shared.
   */
  private redisOutcomes: RedisOutcomes | null | undefined = undefined;
  /** What is left of the fault budget: one object, replaced when a fault lands, which branches share till then. */
  private left: FaultsLeft;
  /** How many of `run.clockChoices.nodes` have had their clock chosen. */
  private clocksChosen = 0;
  /** Recorded events, when recording. */
  readonly events: RunEvent[] | null;

  /**
   * Starts a run of `run` (recording events if `record`); or, given `from`, a branch of that run, sharing its
   * processes and parts (which `from` has marked shared).
   */
  constructor(private readonly run: RunSetup, record = false, from?: Simulation) {
    if (from) {
      this.now = from.now;
      this.processes = from.processes.slice();
      this.redis = from.redis;
      this.redisOutcomes = from.redisOutcomes;
      this.left = from.left;
      this.clocksChosen = from.clocksChosen;
      this.broker = from.broker;
      this.shop = from.shop;
      this.events = null;
      return;
    }
    // Loops rather than callbacks on the per-run and per-step paths: tsx wraps every function it creates.
    const processes: Proc[] = [];
    for (let i = 0; i < run.processes.length; i++) processes.push(new Proc(run.processes[i], run.clocks.processes[i]));
    this.processes = processes;
    this.redis = new Part(RedisServers.on(run.clocks.servers));
    this.broker = new Part(new BrokerModel());
    this.shop = new Part(new Effects());
    for (const queue of run.queues) this.broker.value.declareQueue(queue.name, queue);
    for (const cmd of run.setup) {
      if (isBrokerCommand(cmd)) execBroker(this.broker.value, 'setup', cmd);
      else if (isEffectCommand(cmd)) this.shop.value.exec(cmd, 0);
      else this.redis.value.exec(cmd, this.now);
    }
    const { pauses, crashes, losses, closes, jumps } = run.faults;
    this.left = { pauses, crashes, losses, closes, jumps };
    this.events = record ? [] : null;
  }

  // The fault budget left, by kind.
  private get pausesLeft(): number {
    return this.left.pauses;
  }
  private get crashesLeft(): number {
    return this.left.crashes;
  }
  private get lossesLeft(): number {
    return this.left.losses;
  }
  private get closesLeft(): number {
    return this.left.closes;
  }
  private get jumpsLeft(): number {
    return this.left.jumps;
  }

  /** One fault of `kind` lands: one fewer left. */
  private spend(kind: keyof FaultsLeft): void {
    const { pauses, crashes, losses, closes, jumps } = this.left;
    // A literal of the same shape each time (no computed key), which V8 builds fast.
    this.left = {
      pauses: pauses - +(kind === 'pauses'), crashes: crashes - +(kind === 'crashes'), losses: losses - +(kind === 'losses'),
      closes: closes - +(kind === 'closes'), jumps: jumps - +(kind === 'jumps'),
    };
  }

  /** The payment gateway, the orders table and the mailer. */
  get effects(): Effects {
    return this.shop.value;
  }

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

  /** Process `proc`, to change: shared with another run, it is copied first. */
  private procToWrite(proc: number): Proc {
    const p = this.processes[proc];
    if (p.shared) return (this.processes[proc] = p.clone());
    p.changing();
    return p;
  }

  /** The Redis servers, to change. */
  private redisToWrite(): RedisServers {
    return (this.redis = this.redis.forWrite()).value;
  }

  /** The broker, to change. */
  private brokerToWrite(): BrokerModel {
    return (this.broker = this.broker.forWrite()).value;
  }

  /** The shop's systems, to change. */
  private shopToWrite(): Effects {
    return (this.shop = this.shop.forWrite()).value;
  }

  /**
   * The 64-bit fingerprint of the whole state: true time, every process, Redis, the broker, the shop's systems
   * and what is left of the fault budget. Equal states, equal fingerprints; equal fingerprints, equal states but
   * for a hash collision (see fingerprint-set.ts), so the search visits each state once. Each part's share is
   * hashed once per version and instant (see part.ts).
   * With `symmetric`, interchangeable processes (twins.ts) are told apart by nothing but their state (see
   * state-fingerprint.ts), so two states that differ only by which twin is which get one fingerprint.
   * @example visited.add(simulation.fingerprint())
   */
  fingerprint(symmetric = false): Fingerprint {
    const now = this.now;
    // Clocks change only by jumps and choices: with neither, the plan's clocks are the same in every state.
    // A process's clock goes with its own share, so that symmetry never swaps two twins' states but not their clocks.
    const clocksVary = this.run.faults.jumps > 0 || this.run.clockChoices !== undefined;
    const h = stateHash.begin().number(now);
    if (symmetric) hashTwins(h, this.run, now, this.processes, this.broker, clocksVary);
    else {
      for (const p of this.processes) p.hashInto(h, now, clocksVary);
      this.broker.hashInto(h, now, hashBroker);
    }
    this.redis.hashInto(h, now, hashServers);
    this.shop.hashInto(h, now, hashEffects);
    const left = this.left;
    h.number(left.pauses).number(left.crashes).number(left.losses).number(left.closes).number(left.jumps).number(this.clocksChosen);
    return h.fingerprint();
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
    for (const instant of this.redis.value.expiryInstants(this.now)) instants.add(instant);
    return [...instants].sort((a, b) => a - b);
  }

  /** A key's value on the `redis` server (the store) now. */
  get(key: string): string | null {
    return this.redis.value.get(key, this.now);
  }

  /** A Redis server's clock reading now (by default the store's). */
  serverClock(instance = 0): number {
    return this.redis.value.reading(instance, this.now);
  }

  /** Every Redis server's live keys now (the store first), with values and TTLs: for the play page. */
  redisContents(): KeyReading[][] {
    return this.redis.value.contents(this.now);
  }

  /** The broker's whole state now, as plain data: for the play page. */
  brokerSnapshot(): BrokerSnapshot {
    return this.broker.value.snapshot();
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
    let others = this.jumpsLeft > 0 ? 2 * (this.processes.length + this.redis.value.count) : 0;
    for (let proc = 0; proc < this.processes.length; proc++) {
      if (this.lossesLeft > 0 && this.isPublishing(proc, false)) others++;
      if (this.lossesLeft > 0 && this.isPublishing(proc, true)) others++;
      if (this.closesLeft > 0 && this.isSubscribed(proc)) others++;
    }
    let live = 0;
    for (const p of this.processes) if (p.live) live++;
    return (this.pausesLeft > 0 ? live : 0) + (this.crashesLeft > 0 ? live : 0) + others;
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
    const p = this.processes[proc];
    return p.live && p.consumerTag !== null;
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
      case 'jump': return this.jumpsLeft > 0 && action.node < this.processes.length + this.redis.value.count && action.by !== 0;
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
        const p = this.procToWrite(action.proc);
        p.arrived = true;
        p.live = !p.local.done;
        this.events?.push({ kind: 'arrive', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        if (this.isReady(p)) this.runCommand(action.proc);
        return;
      }
      case 'restart': {
        const p = this.procToWrite(action.proc);
        p.restart();
        p.live = !p.local.done;
        this.events?.push({ kind: 'restart', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        if (this.isReady(p)) this.runCommand(action.proc);
        return;
      }
      case 'lose':
      case 'lose-confirm':
        this.spend('losses');
        return this.runCommand(action.proc, action.kind === 'lose' ? 'message' : 'confirm');
      case 'jump': return this.jump(action.node, action.by);
      case 'clock': {
        const clock = { offset: action.offset, driftPpm: action.driftPpm, jumps: [] };
        if (action.node < this.processes.length) this.procToWrite(action.node).clock = clock;
        else this.redisToWrite().setClock(action.node - this.processes.length, clock);
        this.clocksChosen++;
        return;
      }
      case 'close': {
        const p = this.procToWrite(action.proc);
        this.spend('closes');
        this.events?.push({ kind: 'close', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        this.recordSettled(this.brokerToWrite().closeChannel(p.name));
        p.consumerTag = null;
        p.channelClosed = true;
        return;
      }
      case 'wait': return this.advanceTo(this.nextTimer()!);
      case 'tick': return this.advanceTo(this.now + this.run.faults.tickMs!);
      case 'deliver': return this.deliver(action.proc);
      case 'pause': {
        const p = this.procToWrite(action.proc);
        p.pausedUntil = Math.max(p.pausedUntil, this.now + action.ms);
        this.spend('pauses');
        this.events?.push({ kind: 'pause', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now), ms: action.ms });
        return;
      }
      case 'crash': {
        const p = this.procToWrite(action.proc);
        p.crashed = true;
        p.crashedAt = this.now;
        p.live = false;
        this.spend('crashes');
        this.events?.push({ kind: 'crash', t: this.now, proc: action.proc, clock: readClock(p.clock, this.now) });
        // Its connection drops: the broker closes the channel and requeues what it had not acked.
        if (p.consumerTag !== null) this.recordSettled(this.brokerToWrite().closeChannel(p.name));
        p.consumerTag = null;
        p.channelClosed = false;
        return;
      }
    }
  }

  /** A clock jump lands now on `node` (a process, or past them a Redis server): its readings move by `by`. */
  private jump(node: number, by: number): void {
    this.spend('jumps');
    if (node < this.processes.length) {
      const p = this.procToWrite(node);
      p.clock = { ...p.clock, jumps: [...p.clock.jumps, { at: this.now, by }] };
      this.events?.push({ kind: 'jump', t: this.now, proc: node, clock: readClock(p.clock, this.now), by });
      return;
    }
    const events = this.redisToWrite().jump(node - this.processes.length, this.now, by);
    this.events?.push(...events);
  }

  /**
   * Ready to run its pending command: not a consumer awaiting a delivery (the broker acts next), not a command
   * that would block (a relay waiting for an outbox row).
   */
  private isReady(p: Proc): boolean {
    return p.live && !p.local.awaiting && p.wakesAt() <= this.now && !this.shop.value.blocks(p.local.command!);
  }

  /** The consumers the broker could deliver to now. */
  private deliverableTags(): ReadonlySet<string> {
    return new Set(this.broker.value.deliverable().map((d) => d.consumerTag));
  }

  /** Awaiting, not paused, and its consumer has a message it may take (or its channel's closing to hear of). */
  private canReceive(proc: number, deliverable: ReadonlySet<string>): boolean {
    const p = this.processes[proc];
    const tag = p.consumerTag;
    return p.live && p.local.awaiting && p.wakesAt() <= this.now && (p.channelClosed || (tag !== null && deliverable.has(tag)));
  }

  private deliver(proc: number): void {
    const p = this.procToWrite(proc);
    if (p.channelClosed) {
      p.channelClosed = false;
      p.local = p.cache.channelClosed(p.local);
      this.events?.push({ kind: 'closed', t: this.now, proc, clock: readClock(p.clock, this.now) });
      return;
    }
    const broker = this.brokerToWrite();
    const delivery = broker.deliver(p.consumerTag!);
    p.local = p.cache.deliver(p.local, delivery);
    if (p.local.done) p.live = false;
    if (!this.events) return;
    this.events.push({ kind: 'deliver', t: this.now, proc, clock: readClock(p.clock, this.now), delivery });
    // For the record: an auto-ack delivery is settled the moment it is sent.
    if (broker.consumer(delivery.consumerTag)?.autoAck) {
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
    const expiry = this.redis.value.nextExpiry(this.now);
    if (expiry !== null) next = Math.min(next, expiry);
    return Number.isFinite(next) ? next : null;
  }

  private advanceTo(t: number): void {
    if (this.events) this.events.push(...this.timePassing(t));
    this.now = t;
  }

  /** For the record: what happens while time passes from now to `t` — expiries, clock jumps, resumptions. */
  private timePassing(t: number): RunEvent[] {
    const passing = this.redis.value.passing(this.now, t);
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
      this.recordSettled(outcome.settled);
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
