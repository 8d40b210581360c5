/**
 * What a process of a real run (process-runner.ts) is given and needs from its run — the clock, the history, the
 * fault points, the servers — whether it runs in this Node process or in a child process of its own (src/run/child),
 * where the parent answers for most of them.
 */
import type { AnyStateMachine } from 'xstate';
import type { Command } from '../../models/protocol.ts';
import type { ProcessView } from '../../properties/property.ts';
import type { BrokerSession, SessionListener } from './broker-session.ts';
import type { FaultPoints } from './fault-injector.ts';
import type { History } from './history.ts';
import type { KilledCommand } from './killed-connection.ts';
import type { RunClock } from './run-clock.ts';
import type { ShopSystems } from './shop-systems.ts';

/** What a process needs from its run. */
export interface RunServices {
  /** The run's clock. */
  readonly clock: RunClock;
  /** Where everything is recorded (in a child process, sent to the parent's history). */
  readonly history: Pick<History, 'record'>;
  /** Where faults land (asked before every command; in a child process, the parent answers). */
  readonly faults: FaultPoints;
  /** The shop's systems (in process, or the parent's for a child process). */
  readonly shop: Pick<ShopSystems, 'exec' | 'blocks'>;
  /** Runs a Redis command (as the machine wrote it) on the run's server; answers in model terms. */
  redis(cmd: Command): Promise<unknown>;
  /** A new broker session for one incarnation, or `null` when the run has no broker. */
  brokerSession(listener: SessionListener, channelName: () => string): BrokerSession | null;
  /** Runs `cmd` on a connection of this process's own that the server kills as it goes (a disconnect; absent where none lands). */
  killConnectionDuring?(cmd: Command, executes: boolean): Promise<KilledCommand>;
  /**
   * Stalls the Redis server for `ms` model ms (CLIENT PAUSE) just before process `proc`'s next command; resolves
   * once the stall is on. Records the stall, and its end when it comes, with the process's view then (absent
   * where none lands, e.g. in a child process).
   */
  stallRedis?(ms: number, proc: number, view: () => ProcessView): Promise<void>;
  /** How long a supervisor takes to restart a killed service, model ms. */
  readonly restartDelayMs: number;
  /** Aborts when the iteration is over. */
  readonly ended: AbortSignal;
}

/** A process as the scenario defines it. */
export interface ProcessDefinition {
  /** Lane name, e.g. `A`. */
  readonly name: string;
  /** The scenario's machine, unchanged. */
  readonly machine: AnyStateMachine;
  /** Its input. */
  readonly input: unknown;
  /** A supervisor restarts it after a kill. */
  readonly restart: boolean;
  /** Waiting for work at the end of a run is idleness, not a deadlock. */
  readonly service: boolean;
}

/** What the run's end detection needs to know: working, waiting for work, or over for good. */
export type Activity = 'busy' | 'idle' | 'finished';
