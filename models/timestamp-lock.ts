/**
 * The timestamp lock of the Redis documentation's old `SETNX` page ("Handling deadlocks", redis.io, before
 * `SET … PX` existed): the lock's value is the holder's own clock reading plus the timeout, and a client that
 * reads a value older than its own clock deems the lock expired and takes it over with `GETSET`, checking that
 * the value it replaced was still the expired one. The key itself never expires: every expiry decision is made
 * on some client's clock, so two clients whose clocks are further apart than the timeout both hold the lock.
 */
import { assign } from 'xstate';
import { ask, type ReplyEvent } from './protocol.ts';
import { passThrough, replyIsOk, retryWithBackoff, type LockClientContext, type LockExits, type LockProtocol } from './lock-client.ts';

/** The value a client writes: when, on its own clock, its lock runs out (the recipe's `now + timeout + 1`). */
const stampOf = (c: LockClientContext) => c.acquiredAt! + c.ttlMs + 1;

/** A lock value the client's clock has passed: the holder's timeout is over (as this client sees it). */
const isExpiredStamp = (value: unknown, c: LockClientContext) => value !== null && Number(value) < c.acquiredAt!;

/**
 * The timestamp lock protocol: `SET lock stamp NX`; failing that, `GET` the stamp and, if it has passed on this
 * client's clock, `GETSET` a new one; release with `DEL` only if this client's own stamp has not yet passed.
 * @example timestampLock().acquire({ acquired: 'read', gaveUp: 'done' })
 */
export function timestampLock(maxRetries = 3, backoffMs = 100): LockProtocol {
  type Args = { context: LockClientContext; event: ReplyEvent };
  return {
    name: 'timestamp-lock',
    acquire: ({ acquired, gaveUp }: LockExits) => ({
      acquire: {
        entry: ask<LockClientContext>(() => ['NOW']),
        on: { reply: { target: 'setIfAbsent', actions: assign({ acquiredAt: ({ event }: { event: ReplyEvent }) => event.value as number }) } },
      },
      setIfAbsent: {
        entry: ask<LockClientContext>((c) => ['SET', c.lockKey, String(stampOf(c)), 'NX']),
        on: { reply: [{ guard: replyIsOk, target: acquired }, { target: 'readStamp' }] },
      },
      readStamp: {
        entry: ask<LockClientContext>((c) => ['GET', c.lockKey]),
        on: { reply: [{ guard: ({ context, event }: Args) => isExpiredStamp(event.value, context), target: 'takeOver' }, { target: 'backoff' }] },
      },
      takeOver: {
        entry: ask<LockClientContext>((c) => ['GETSET', c.lockKey, String(stampOf(c))]),
        // Another client may have taken over first: then the value replaced is its fresh stamp, not the expired one.
        on: { reply: [{ guard: ({ context, event }: Args) => event.value === null || isExpiredStamp(event.value, context), target: acquired }, { target: 'backoff' }] },
      },
      ...retryWithBackoff(maxRetries, backoffMs, gaveUp),
    }),
    checkpoint: (next: string) => passThrough(next),
    release: (next: string) => ({
      release: {
        entry: ask<LockClientContext>(() => ['NOW']),
        on: { reply: [{ guard: ({ context, event }: Args) => (event.value as number) < stampOf(context), target: 'deleteLock' }, { target: next }] },
      },
      deleteLock: { entry: ask<LockClientContext>((c) => ['DEL', c.lockKey]), on: { reply: { target: next } } },
    }),
  };
}
