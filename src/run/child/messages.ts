/**
 * What a run (the parent) and a child process hosting one of its processes (--isolation process) say to each
 * other over the IPC channel. The child runs the machine and owns its connections; the parent owns what the
 * whole run shares — the history, the fault injector, the shop's systems — so the child reports and asks, and
 * the parent answers. Everything here is plain data (sent with structured clone).
 */
import type { Command } from '../../../models/protocol.ts';
import type { ProcessView } from '../../../properties/property.ts';
import type { SearchJob } from '../../check/parallel/job.ts';
import { UsageError } from '../../check/prepare.ts';
import type { EffectCommand } from '../../world/effects/effects.ts';
import type { HistoryEntry } from '../history.ts';
import type { Activity } from '../run-services.ts';
import type { ClockOrigin } from '../run-clock.ts';

/** Which server decided an order of commands across processes, and the command's place in it. */
export interface Serial {
  /**
   * A Redis host, by the name of its first server (`redis`, `redis-2`, …: its own INCR in the command's
   * transaction), or `shop`, the shop's systems (the parent).
   */
  readonly stream: string;
  /** From 1, in the order that server executed them. */
  readonly n: number;
}

/** An error as it crosses the channel. */
export interface WireError {
  /** `UsageError` is thrown as such again; anything else as an error naming the process. */
  readonly name: string;
  /** What went wrong. */
  readonly message: string;
}

/** What a child needs for the whole run: where the servers are, and what it runs. */
export interface Connect {
  /** Real Redis URL or comma-separated list (`undefined`: the default, as the run's). */
  readonly redisUrl: string | undefined;
  /** Real RabbitMQ URL (`undefined`: the default, as the run's). */
  readonly amqpUrl: string | undefined;
  /** The run has a broker. */
  readonly broker: boolean;
  /** The built-in scenario's variant, parameters and seed: the child prepares the same machines, once. */
  readonly job: SearchJob;
  /** Model ms per real ms. */
  readonly timeScale: number;
}

/** What one incarnation of a process needs to start in a child. */
export interface Start {
  /** The process, by index. */
  readonly proc: number;
  /** The iteration's namespace prefix. */
  readonly prefix: string;
  /** The parent's clock, for the child's to read the same. */
  readonly origin: ClockOrigin;
  /** When it arrives, model ms on that clock (an instant, not a delay: the message takes time to get there). */
  readonly arriveAt: number;
}

/** From the parent. */
export type ToChild =
  /** Open the connections and prepare the variant; answered by `ready` or `failed`. */
  | ({ readonly kind: 'connect' } & Connect)
  /** Run one incarnation; answered by `ended`. */
  | ({ readonly kind: 'start' } & Start)
  /** The answer to a `before` (the faults the child lands itself: a channel close, a disconnect; pauses and kills are the parent's signals, a stall its CLIENT PAUSE) or a `shop` request. */
  | { readonly kind: 'answer'; readonly id: number; readonly value: unknown }
  /** The iteration is over: stop where you are. */
  | { readonly kind: 'stop' };

/** What lands before this command? With what a fault needs: the process's view and its consuming channel. */
export interface BeforeRequest {
  readonly kind: 'before';
  readonly command: Command;
  readonly critical: boolean;
  readonly view: ProcessView;
  readonly channel: string | null;
}

/** Run this on the shop's systems; answered with a {@link ShopAnswer}. */
export interface ShopRequest {
  readonly kind: 'shop';
  readonly command: EffectCommand;
}

/** What a child says, but for its activity, which every message carries. */
export type ChildReport =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly error: WireError }
  /** An entry for the history; `serial` for a Redis or shop command. */
  | { readonly kind: 'record'; readonly entry: HistoryEntry; readonly serial?: Serial }
  /** The process took a delivery (for the fault injector). */
  | { readonly kind: 'delivered' }
  /** Its activity changed without anything else to say. */
  | { readonly kind: 'activity' }
  /** A request, answered by an `answer` with its id. */
  | ((BeforeRequest | ShopRequest) & { readonly id: number })
  /** The incarnation ended (done, or stopped), its connections to the broker closed; or it failed. */
  | { readonly kind: 'ended'; readonly error?: WireError };

/** From a child: a report, and its process's activity as it sent it. */
export type FromChild = ChildReport & { readonly activity: Activity };

/** The answer to a `shop` request. */
export interface ShopAnswer {
  readonly reply: unknown;
  /** When it executed, model ms. */
  readonly at: number;
  /** Its place among the iteration's shop commands. */
  readonly serial: number;
}

/**
 * An error as it crosses the channel.
 * @example wireError(new UsageError('cannot reach Redis at 127.0.0.1:1: …')) // { name: 'UsageError', message: … }
 */
export function wireError(error: unknown): WireError {
  return { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) };
}

/**
 * The error a child reported, to throw in the parent: a `UsageError` as such (a bad URL, a server gone), anything
 * else naming where it happened.
 * @example throw thrownAgain({ name: 'TypeError', message: 'x is undefined' }, 'the child process of W1')
 */
export function thrownAgain(error: WireError, where: string): Error {
  if (error.name === 'UsageError') return new UsageError(error.message);
  return new Error(`in ${where}: ${error.message}`);
}
