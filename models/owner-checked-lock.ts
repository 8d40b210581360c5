/**
 * The lock as the Redis documentation recommends it for a single instance (redis.io, "Distributed Locks with
 * Redis"): a random token as the value, `SET key token NX PX ttl`, retry with exponential backoff, and release
 * by a compare-and-delete script so a client can only ever delete its own lock. Optional renewal extends the
 * lock (compare-and-extend) once half the TTL has passed on the client's own clock. It still cannot stop a
 * client that pauses past the TTL from acting on a lock it no longer holds (Kleppmann).
 */
import { assign } from 'xstate';
import { ask, type ReplyEvent } from './protocol.ts';
import { retryWithBackoff, replyIsOk, passThrough, type LockClientContext, type LockExits, type LockProtocol, type StateConfigs } from './lock-client.ts';

/** Tuning of the owner-checked client. */
export interface OwnerCheckedOptions {
  /** Failed attempts before giving up (default 3). */
  readonly maxRetries?: number;
  /** First backoff in ms, doubled on each retry (default 100). */
  readonly backoffMs?: number;
  /** Renew (compare-and-extend) before each write once half the TTL has passed on the client's clock. */
  readonly renew?: boolean;
  /** State entered after a successful `SET` (the fenced client inserts its `INCR` there). */
  readonly afterSet?: (acquired: string) => StateConfigs;
}

const clockReading = ({ event }: { event: ReplyEvent }) => event.value as number;

/**
 * An owner-checked lock protocol.
 * @example ownerCheckedLock({ renew: true }).acquire({ acquired: 'read', gaveUp: 'done' })
 */
export function ownerCheckedLock(options: OwnerCheckedOptions = {}): LockProtocol {
  const { maxRetries = 3, backoffMs = 100, renew = false } = options;
  const afterSet = options.afterSet ?? (() => ({}));
  return {
    name: renew ? 'owner-checked-renew' : 'owner-checked',
    acquire: ({ acquired, gaveUp }: LockExits) => {
      // A renewing client measures validity from its clock reading taken just before each SET.
      const setLock = renew ? 'setLock' : 'acquire';
      const clockFirst: StateConfigs = {
        acquire: {
          entry: ask<LockClientContext>(() => ['NOW']),
          on: { reply: { target: setLock, actions: assign({ acquiredAt: clockReading }) } },
        },
      };
      return {
        ...(renew ? clockFirst : {}),
        [setLock]: {
          entry: ask<LockClientContext>((c) => ['SET', c.lockKey, c.token, 'NX', 'PX', c.ttlMs]),
          on: { reply: [{ guard: replyIsOk, target: options.afterSet ? 'afterSet' : acquired }, { target: 'backoff' }] },
        },
        ...retryWithBackoff(maxRetries, backoffMs, gaveUp),
        ...afterSet(acquired),
      };
    },
    checkpoint: (next: string, lost: string) => (renew ? renewal(next, lost) : passThrough(next)),
    release: (next: string) => ({
      release: {
        entry: ask<LockClientContext>((c) => ['EVAL', 'compare-and-delete', 1, c.lockKey, c.token]),
        on: { reply: { target: next } },
      },
    }),
  };
}

/** Before a write: extend the lock if half the TTL has passed on the client's clock; a failed extend means it is lost. */
function renewal(next: string, lost: string): StateConfigs {
  const halfGone = ({ context }: { context: LockClientContext }) =>
    context.clock! - context.acquiredAt! >= context.ttlMs / 2;
  return {
    checkpoint: {
      entry: ask<LockClientContext>(() => ['NOW']),
      on: { reply: { target: 'judgeValidity', actions: assign({ clock: clockReading }) } },
    },
    judgeValidity: { always: [{ guard: halfGone, target: 'extend' }, { target: next }] },
    extend: {
      entry: ask<LockClientContext>((c) => ['EVAL', 'compare-and-extend', 1, c.lockKey, c.token, c.ttlMs]),
      on: {
        reply: [
          { guard: ({ event }: { event: ReplyEvent }) => event.value === 1, target: next, actions: assign({ acquiredAt: ({ context }: { context: LockClientContext }) => context.clock }) },
          { target: lost },
        ],
      },
    },
  };
}
