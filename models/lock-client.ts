/**
 * What every lock client protocol shares: the context a client carries and the shape of a protocol as a set of
 * state fragments (acquire, an optional checkpoint before each write, release) that a scenario splices around
 * its own critical section.
 */
import { assign, type AnyStateMachine } from 'xstate';
import type { ProcessSpec } from '../src/scenario.ts';
import { tokenFor, type Prng } from '../src/sim/prng.ts';
import { ask, type ReplyEvent } from './protocol.ts';

/** The context every lock-using process carries. Scenario machines extend it with their own fields. */
export interface LockClientContext {
  /** Process name, e.g. `A`. */
  readonly name: string;
  /** This client's lock value (the article's `lock_value`; a random token for owner-checked clients). */
  readonly token: string;
  /** The lock's key, e.g. `lock:stock`. */
  readonly lockKey: string;
  /** Lock time-to-live in ms. */
  readonly ttlMs: number;
  /** Failed acquisition attempts so far. */
  attempt: number;
  /** Fencing token from `INCR`, once acquired (fenced clients only). */
  fence: number | null;
  /** The client's own clock reading when it sent the winning `SET` (clients that renew). */
  acquiredAt: number | null;
  /** The client's latest clock reading (clients that renew). */
  clock: number | null;
}

/** Where a lock fragment goes when it is done. */
export interface LockExits {
  /** State entered once the lock is held. */
  readonly acquired: string;
  /** State entered when the client gives up acquiring. */
  readonly gaveUp: string;
}

/** A loosely typed state-node config: fragments are spliced into a scenario's typed machine. */
export type StateConfigs = Record<string, object>;

/** A lock client protocol, as state fragments with fixed entry names: `acquire`, `checkpoint`, `release`. */
export interface LockProtocol {
  /** Short name, e.g. `naive-lock`. */
  readonly name: string;
  /** Fragment entered at `acquire`; ends in `exits.acquired` or `exits.gaveUp`. */
  acquire(exits: LockExits): StateConfigs;
  /**
   * Fragment entered at `checkpoint` before each write inside the critical section: ends in `next`, or in `lost`
   * when the client learns it no longer holds the lock. Protocols with nothing to check pass straight through.
   */
  checkpoint(next: string, lost: string): StateConfigs;
  /** Fragment entered at `release`; ends in `next`. */
  release(next: string): StateConfigs;
}

/**
 * `count` processes named A, B, C, … that run `machine` as lock clients of `lockKey`, each with a fresh token
 * from `prng`; `extra` holds the scenario's own context fields, the same for every client.
 * @example lockClients(buyerMachine, 3, { lockKey: 'lock:stock', ttlMs: 5000 }, prng, { stock: null })
 */
export function lockClients<C extends LockClientContext>(
  machine: AnyStateMachine, count: number, lock: { lockKey: string; ttlMs: number }, prng: Prng, extra: Omit<C, keyof LockClientContext>,
): ProcessSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const name = String.fromCharCode(65 + i);
    const input = { name, token: tokenFor(prng, name), ...lock, attempt: 0, fence: null, acquiredAt: null, clock: null, ...extra };
    return { name, machine, input };
  });
}

/** A checkpoint that checks nothing. */
export function passThrough(next: string): StateConfigs {
  return { checkpoint: { always: next } };
}

/** True when a reply is Redis's `OK`. */
export const replyIsOk = ({ event }: { event: ReplyEvent }): boolean => event.value === 'OK';

/**
 * Retrying with exponential backoff: `backoff` gives up after `maxRetries` failed attempts, else sleeps
 * `backoffMs · 2^attempt` and goes back to `acquire`.
 * @example retryWithBackoff(3, 100, 'done') // { backoff: …, waitToRetry: … }
 */
export function retryWithBackoff(maxRetries: number, backoffMs: number, gaveUp: string): StateConfigs {
  return {
    backoff: {
      always: [{ guard: ({ context }: { context: LockClientContext }) => context.attempt + 1 >= maxRetries, target: gaveUp }, { target: 'waitToRetry' }],
    },
    waitToRetry: {
      entry: ask<LockClientContext>((c) => ['SLEEP', backoffMs * 2 ** c.attempt]),
      on: { reply: { target: 'acquire', actions: countAttempt } },
    },
  };
}

/** Counts one more failed attempt. */
export const countAttempt = assign(({ context }: { context: LockClientContext }) => ({ attempt: context.attempt + 1 }));
