/**
 * What a real run records: one entry per thing that happened, in the order this Node process saw it happen (in
 * the servers' order, for processes in child processes: child/history-order.ts), with its true time (model ms
 * since the run started) and the acting process's view right after it. Commands carry both their invocation and
 * their completion time. The judge turns a history into the checker's events and world views.
 */
import type { Command } from '../../models/protocol.ts';
import type { ProcessView } from '../../properties/property.ts';
import { isBrokerCommand } from '../world/amqp/commands.ts';
import type { Delivery } from '../world/amqp/types.ts';
import { isEffectCommand } from '../world/effects/effects.ts';

/**
 * True for a command meant for Redis: not the broker, not the shop's systems, not the clock.
 * @example isRedisCommand(['GET', 'stock']) // true; ['NOW'], ['PAY.CHARGE', 'order-1'] are not
 */
export function isRedisCommand(command: Command): boolean {
  return !isBrokerCommand(command) && !isEffectCommand(command) && command[0] !== 'NOW' && command[0] !== 'SLEEP';
}

/** Fields every process entry has. */
interface At {
  /** True time, model ms since the run started. */
  readonly at: number;
  /** The process, by index. */
  readonly proc: number;
  /** The process as it stood right after this entry. */
  readonly view: ProcessView;
}

/** One thing that happened to or at a process. */
export type HistoryEntry =
  | (At & { readonly kind: 'arrive' | 'resume' | 'restart' | 'done' | 'closed' })
  | (At & {
      readonly kind: 'command';
      /** When it was sent (`at` is when its reply came). */
      readonly invokedAt: number;
      readonly command: Command;
      readonly reply: unknown;
      /** For broker commands that act on the consuming channel: that channel's name (`A/1`, `A/2`, …). */
      readonly channel?: string;
    })
  | (At & { readonly kind: 'deliver'; readonly delivery: Delivery })
  | (At & { readonly kind: 'pause'; readonly ms: number })
  /** A kill: the process stopped, its connection closed; `channel` is the consuming channel that closed with it. */
  | (At & { readonly kind: 'crash'; readonly channel: string | null })
  /** The fault: the process's consuming channel was closed under it. */
  | (At & { readonly kind: 'close'; readonly channel: string })
  /**
   * The fault: `command` went out on a connection of the process's own, which the server killed while it was
   * in flight (`at`: when the close was seen). `answered`: its reply came first; otherwise it may or may not
   * have run. Either way its place among the other commands to that server lies only somewhere in its window
   * (disconnect-readings.ts).
   */
  | (At & { readonly kind: 'disconnect'; readonly invokedAt: number; readonly command: Command; readonly answered: boolean; readonly reply: unknown })
  /**
   * The fault: the Redis server stalled (CLIENT PAUSE `ms` WRITE, in effect from `at`) just before the process's
   * next command, which waits it out.
   */
  | (At & { readonly kind: 'stall'; readonly ms: number })
  /** The stall the process began is over (measured: it lasts longer than asked): the server runs the writes it held. */
  | (At & { readonly kind: 'stall-over' });

/** A setup command, run before any process, with the reply it got. */
export interface SetupEntry {
  /** The command, as the scenario gives it. */
  readonly command: Command;
  /** Its reply. */
  readonly reply: unknown;
}

/**
 * A run's record.
 * @example
 * const history = new History();
 * history.record({ kind: 'arrive', at: 0, proc: 0, view });
 */
export class History {
  /** Setup commands, in order. */
  readonly setup: SetupEntry[] = [];
  /** Entries, in the order they happened. */
  readonly entries: HistoryEntry[] = [];

  /**
   * Appends an entry.
   * @example history.record({ kind: 'done', at: 120, proc: 1, view })
   */
  record(entry: HistoryEntry): void {
    this.entries.push(entry);
  }
}
