// SPOILER: a reference solution of exercise 1 (docs/exercises/01-safe-release). Try the exercise first.
import { ask, naiveLock, type LockClientContext, type LockProtocol } from 'interleave';

/**
 * The article's acquire, and a release that deletes the key only if it still holds this client's token — in
 * one atomic step, a Lua script, so no other client's SET can fall between the comparison and the delete.
 */
export const lock: LockProtocol = {
  ...naiveLock,
  name: 'compare-and-delete',
  release: (next) => ({
    release: {
      entry: ask<LockClientContext>((c) => ['EVAL', 'compare-and-delete', 1, c.lockKey, c.token]),
      on: { reply: { target: next } },
    },
  }),
};
