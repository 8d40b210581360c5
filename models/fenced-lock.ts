/**
 * Owner-checked locking plus a fencing token (Kleppmann, "How to do distributed locking", 2016): after the
 * `SET` succeeds the client takes a strictly increasing number from `INCR lock:fence`; the store it writes to
 * remembers the highest token it has seen and rejects any request carrying a lower one, so a client that woke
 * from a pause with an expired lock cannot overwrite the work of the next owner.
 */
import { assign } from 'xstate';
import { ask, type ReplyEvent } from './protocol.ts';
import type { LockClientContext, LockProtocol } from './lock-client.ts';
import { ownerCheckedLock } from './owner-checked-lock.ts';

/** The key whose `INCR` hands out fencing tokens for `lockKey`. */
export const fenceCounterKey = (lockKey: string) => `${lockKey}:fence`;

/**
 * The fenced lock protocol: owner-checked acquire and release, with a fencing token taken after acquiring.
 * @example fencedLock().acquire({ acquired: 'read', gaveUp: 'done' })
 */
export function fencedLock(): LockProtocol {
  const base = ownerCheckedLock({
    afterSet: (acquired) => ({
      afterSet: {
        entry: ask<LockClientContext>((c) => ['INCR', fenceCounterKey(c.lockKey)]),
        on: { reply: { target: acquired, actions: assign({ fence: ({ event }: { event: ReplyEvent }) => event.value as number }) } },
      },
    }),
  });
  return { ...base, name: 'fenced' };
}
