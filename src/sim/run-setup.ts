/**
 * What a run of a scenario instance is made of, besides the schedule the explorer chooses: its processes, the
 * setup commands and queues, every node's clock, and the fault budget. A check prepares one and every run of
 * the search starts from it.
 */
import type { FaultBudget } from './actions.ts';
import type { ClockSpec } from './clock.ts';
import type { ClockChoices } from './clock-choices.ts';
import type { LocalState, MachineCache } from './machine-cache.ts';
import type { Command } from '../../models/protocol.ts';
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
