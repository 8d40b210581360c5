/**
 * What a run holds at an instant — true time, its processes, its Redis servers, broker and shop's systems, what
 * is left of the fault budget, the clocks chosen so far — and what follows from that alone: how a branch starts
 * from it, how a run changes one piece that branches share (copy on write), the state's fingerprint, and what
 * properties and the play page read. `Simulation` (simulation.ts) adds what can happen next, and takes it.
 */
import type { RunEvent } from './events.ts';
import { budgetOf } from './faults.ts';
import { Hash64, type Fingerprint } from './hash64.ts';
import { Part } from './part.ts';
import { Proc } from './proc.ts';
import type { RedisOutcomes } from './redis-outcomes.ts';
import { hashServers, RedisServers, type KeyReading } from './redis-servers.ts';
import type { RunSetup } from './run-setup.ts';
import { hashBroker, hashEffects, hashTwins, type FaultsLeft } from './state-fingerprint.ts';
import { BrokerModel } from '../world/amqp/broker.ts';
import type { BrokerSnapshot } from '../world/amqp/snapshot.ts';
import { execBroker, isBrokerCommand } from '../world/amqp/commands.ts';
import { Effects, isEffectCommand } from '../world/effects/effects.ts';
import type { Command } from '../../models/protocol.ts';
import type { StepView, WorldView } from '../../properties/property.ts';

/** What a step record holds; the record is rewritten by each step. */
type StepRecord = { proc: number; command: Command; reply: unknown; changes: StepView['changes'] };

/** The hash a state's fingerprint is built in. */
const stateHash = new Hash64();

/**
 * A run's state at an instant, shared piecewise with the branches of a search.
 * @example const state: RunState = new Simulation(setup); state.fingerprint()
 */
export class RunState implements WorldView {
  now = 0;
  /** The step just taken; the object is reused by the next step, so read it, do not keep it. */
  step: StepView | null = null;
  /** The record `step` points to after a command, made at the first one. */
  protected lastStep: StepRecord | null = null;
  /** The processes; a branch shares each with its parent until one of them changes it (see `procToWrite`). */
  readonly processes: Proc[];
  // The Redis servers (on their clocks: the plan's, until a jump lands on one), the broker, and the payment
  // gateway, orders table and mailer: each shared with a branch until one of them changes it.
  protected redis: Part<RedisServers>;
  protected broker: Part<BrokerModel>;
  protected shop: Part<Effects>;
  /**
   * Redis outcomes shared with other states of a search (see redis-outcomes.ts): unset until the run is first
   * branched (then it is being searched), `null` where they cannot be shared.
   */
  protected redisOutcomes: RedisOutcomes | null | undefined = undefined;
  /** What is left of the fault budget: one object, replaced when a fault lands, which branches share till then. */
  protected left: FaultsLeft;
  /** How many of `run.clockChoices.nodes` have had their clock chosen. */
  protected clocksChosen = 0;
  /** Recorded events, when recording. */
  readonly events: RunEvent[] | null;

  /**
   * Starts a run of `run` (recording events if `record`); or, given `from`, a branch of that run, sharing its
   * processes and parts (which `from` has marked shared: see `Simulation.branch`).
   */
  constructor(protected readonly run: RunSetup, record = false, from?: RunState) {
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
    this.left = budgetOf(run.faults);
    this.events = record ? [] : null;
  }

  /** The payment gateway, the orders table and the mailer. */
  get effects(): Effects {
    return this.shop.value;
  }

  /** Process `proc`, to change: shared with another run, it is copied first. */
  protected procToWrite(proc: number): Proc {
    const p = this.processes[proc];
    if (p.shared) return (this.processes[proc] = p.clone());
    p.changing();
    return p;
  }

  /** The Redis servers, to change. */
  protected redisToWrite(): RedisServers {
    return (this.redis = this.redis.forWrite()).value;
  }

  /** The broker, to change. */
  protected brokerToWrite(): BrokerModel {
    return (this.broker = this.broker.forWrite()).value;
  }

  /** The shop's systems, to change. */
  protected shopToWrite(): Effects {
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
}
