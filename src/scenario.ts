/**
 * The building blocks of a scenario: the processes (protocol machines with their inputs), the world they start
 * in, and the properties they must keep — listed per variant, buggy and fixed. Users define their own with the
 * same types the built-in scenarios use.
 */
import type { AnyStateMachine } from 'xstate';
import type { Command } from '../models/protocol.ts';
import type { Property } from '../properties/property.ts';
import type { Prng } from './sim/prng.ts';

/** A numeric scenario parameter (e.g. `buyers`), settable from the command line as `--buyers N`. */
export interface ParamSpec {
  /** Value used when none is given. */
  readonly default: number;
  /** Smallest accepted value. */
  readonly min: number;
  /** Largest accepted value. */
  readonly max: number;
  /** One line for `--help` and `list`. */
  readonly description: string;
}

/** Parameter values by name. */
export type Params = Readonly<Record<string, number>>;

/** One process of a scenario instance: a protocol machine and its input. */
export interface ProcessSpec {
  /** Short name shown as its lane, e.g. `A`. */
  readonly name: string;
  /** The xstate machine; its states emit `command` events and accept `reply` events. */
  readonly machine: AnyStateMachine;
  /** The machine's input. */
  readonly input: unknown;
  /**
   * A supervisor restarts it after a crash, as a new process with a fresh channel (a consumer, a relay); by
   * default a crash ends it for good (a shopper's request).
   */
  readonly restart?: boolean;
  /**
   * A long-running service: when a run is over, its waiting for work (a delivery, an outbox row) is idleness,
   * not a deadlock. Defaults to `restart`.
   */
  readonly service?: boolean;
}

/** A broker queue a scenario declares. */
export interface QueueSpec {
  /** The queue's name (the default exchange routes to it by this name). */
  readonly name: string;
  /** Where rejected and nacked-without-requeue messages go, if anywhere. */
  readonly deadLetterQueue?: string;
}

/** A scenario variant made concrete for given parameters. */
export interface Instance {
  /** The processes, in lane order. */
  readonly processes: readonly ProcessSpec[];
  /** Commands that set up the world at true time 0: Redis commands (`['SET', 'stock', 1]`) and broker ones
   * (`['AMQP.PUBLISH', 'payments', 'order-1', 'order-1']`). */
  readonly setup: readonly Command[];
  /** Broker queues to declare before the setup runs. */
  readonly queues?: readonly QueueSpec[];
  /**
   * How many Redis servers (default 1): `redis`, the store, which setup commands and properties use; Redlock
   * adds its lock instances, which commands address as `['@1', 'SET', …]` … `['@5', …]`.
   */
  readonly redisServers?: number;
  /** The properties this variant is checked against. */
  readonly properties: readonly Property[];
}

/** What a variant is expected to show: a violation (a buggy protocol) or none (a fix). */
export type Expectation = 'violates' | 'holds';

/** One protocol choice for a scenario, buggy or fixed. */
export interface Variant {
  /** Kebab-case name, e.g. `naive-lock`. */
  readonly name: string;
  /** One line: what this variant does. */
  readonly summary: string;
  /** Whether the checker should find a violation. */
  readonly expected: Expectation;
  /** Builds the instance for `params`; `prng` supplies random tokens. */
  build(params: Params, prng: Prng): Instance;
}

/** A scenario: a shop situation with its variants. */
export interface Scenario {
  /** Kebab-case name, e.g. `inventory`. */
  readonly name: string;
  /** One line: the story. */
  readonly summary: string;
  /** Where the protocol comes from. */
  readonly source: string;
  /** Parameters and their defaults. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** The scenario's own default fault budget, where it differs from the checker's (2 pauses, 1 crash, 0 losses, 0 closes). */
  readonly faults?: {
    /** Pauses per run. */
    readonly pauses?: number;
    /** Crashes per run. */
    readonly crashes?: number;
    /** Publishes per run that may lose their message or confirm. */
    readonly losses?: number;
    /** Consumer channels the broker may close per run. */
    readonly closes?: number;
    /** Largest clock offset of any node, ms. */
    readonly maxSkewMs?: number;
  };
  /**
   * How the scenario is searched unless told otherwise (default `random`): a bug that needs one process to run
   * many steps undisturbed, as a Redlock acquisition does, is found far sooner by PCT.
   */
  readonly mode?: 'random' | 'pct' | 'exhaustive';
  /** Variants, buggy first. */
  readonly variants: readonly Variant[];
}

/**
 * Declares a scenario (a typed identity function: it checks the shape and keeps the literal types).
 * @example
 * const counter = defineScenario({ name: 'counter', summary: 'two increments', source: 'example', params: {}, variants: [] });
 */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
