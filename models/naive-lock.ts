/**
 * The reference article's lock (../shared/seed.txt, §4.1), exactly: `get_lock` is `SET lock value NX EX ttl`
 * with no retry (a failed SET returns False and the caller gives up), and `release_lock` is a plain `DEL` that
 * removes the key whatever its value — so a client whose lock expired deletes the next owner's lock.
 */
import { ask } from './protocol.ts';
import { replyIsOk, type LockClientContext, type LockExits, type LockProtocol, passThrough } from './lock-client.ts';

/**
 * The article's `get_lock` / `release_lock`.
 * @example lockedMachine('buyer', naiveLock, plainSection)
 */
export const naiveLock: LockProtocol = {
  name: 'naive-lock',
  acquire: ({ acquired, gaveUp }: LockExits) => ({
    acquire: {
      entry: ask<LockClientContext>((c) => ['SET', c.lockKey, c.token, 'NX', 'EX', Math.ceil(c.ttlMs / 1000)]),
      on: { reply: [{ guard: replyIsOk, target: acquired }, { target: gaveUp }] },
    },
  }),
  checkpoint: (next: string) => passThrough(next),
  release: (next: string) => ({
    release: { entry: ask<LockClientContext>((c) => ['DEL', c.lockKey]), on: { reply: { target: next } } },
  }),
};
