/**
 * What a recorded run is made of: one event per thing that happened, with the true time and, for events at a
 * node, that node's own clock reading. Reports render these; the search does not record them.
 */
import type { Command } from '../../models/protocol.ts';
import type { KeyChange } from '../world/redis/types.ts';
import type { Delivery, Settlement } from '../world/amqp/types.ts';

/** One thing that happened in a run. `proc` indexes the scenario's processes. */
export type RunEvent =
  | { readonly kind: 'arrive'; readonly t: number; readonly proc: number; readonly clock: number }
  | {
      readonly kind: 'command'; readonly t: number; readonly proc: number; readonly clock: number;
      readonly command: Command; readonly reply: unknown; readonly changes: readonly KeyChange[];
      /** For `SLEEP`: the true time the sleep ends. */
      readonly until?: number;
    }
  | { readonly kind: 'deliver'; readonly t: number; readonly proc: number; readonly clock: number; readonly delivery: Delivery }
  | { readonly kind: 'pause'; readonly t: number; readonly proc: number; readonly clock: number; readonly ms: number }
  | { readonly kind: 'resume'; readonly t: number; readonly proc: number; readonly clock: number }
  | { readonly kind: 'crash'; readonly t: number; readonly proc: number; readonly clock: number }
  | { readonly kind: 'restart'; readonly t: number; readonly proc: number; readonly clock: number }
  | { readonly kind: 'close'; readonly t: number; readonly proc: number; readonly clock: number }
  | { readonly kind: 'closed'; readonly t: number; readonly proc: number; readonly clock: number }
  | {
      readonly kind: 'lost'; readonly t: number; readonly clock: number; readonly messageId: string; readonly queue: string;
      /**
       * `message`: it never reached the queue, unknown to the publisher; `nacked`: it never did, and the broker
       * said so; `confirm`: it did, but the publisher never heard.
       */
      readonly what: 'message' | 'nacked' | 'confirm';
    }
  | {
      readonly kind: 'jump'; readonly t: number; readonly clock: number; readonly by: number;
      /** The process whose clock jumped; absent for a Redis server's. */
      readonly proc?: number;
      /** Which Redis server's clock jumped (absent for the first, `redis`). */
      readonly server?: number;
    }
  | { readonly kind: 'settle'; readonly t: number; readonly clock: number; readonly settlement: Settlement }
  | {
      readonly kind: 'expire'; readonly t: number; readonly clock: number; readonly key: string; readonly value: string;
      /** Which Redis server the key expired on (absent for the first, `redis`). */
      readonly server?: number;
    }
  | { readonly kind: 'done'; readonly t: number; readonly proc: number; readonly clock: number }
  /**
   * A real run's disconnect (src/run/killed-connection.ts): the server killed the process's connection with
   * `command` in flight. `answered`: its reply came first; `ran`: it ran, as the judge reads the history, and its
   * `reply` (the model's) never came; `not-run`: it never ran.
   */
  | {
      readonly kind: 'disconnect'; readonly t: number; readonly proc: number; readonly clock: number;
      readonly command: Command; readonly outcome: 'answered' | 'ran' | 'not-run'; readonly reply: unknown;
    }
  /** A real run's stall of the Redis server (CLIENT PAUSE `ms` WRITE) begins. */
  | { readonly kind: 'stall'; readonly t: number; readonly clock: number; readonly ms: number }
  /** The stall is over (Redis lifts it at its next cron tick, so a little later than asked). */
  | { readonly kind: 'stall-over'; readonly t: number; readonly clock: number };
