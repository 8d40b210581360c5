// Exercise 1: make the release safe — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 01-safe-release my-release.ts
import { ask, naiveLock, type LockClientContext, type LockProtocol } from 'interleave';

/**
 * The reference article's lock: `SET lock:stock <token> NX EX 5` to acquire (kept as it is), and a release
 * that is yours to fix.
 */
export const lock: LockProtocol = {
  ...naiveLock,
  name: 'my-lock',
  release: (next) => ({
    release: {
      // TODO: this deletes the lock whoever holds it now, even when ours expired long ago.
      entry: ask<LockClientContext>((c) => ['DEL', c.lockKey]),
      on: { reply: { target: next } },
    },
  }),
};
