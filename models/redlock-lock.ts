/**
 * Redlock, the Redis documentation's lock over N independent Redis instances ("Distributed Locks with Redis",
 * the Redlock algorithm): read the clock; `SET key token NX PX ttl` on every instance in turn (`@1` … `@N`);
 * read the clock again; the lock is held if a majority said OK and the time spent acquiring leaves some validity
 * (ttl − elapsed − drift, the drift allowance being 1% of the TTL plus 2 ms); otherwise, and when done, release
 * on every instance by compare-and-delete. Kleppmann ("How to do distributed locking", 2016) shows it unsafe:
 * a clock jump on one instance, or a pause past the validity, gives two clients a majority — and that fencing
 * tokens, not Redlock, protect the store. With `fenced`, the client takes a token from `INCR` on the store after
 * acquiring, as the fenced single-instance lock does.
 */
import { assign } from 'xstate';
import { ask, type ReplyEvent } from './protocol.ts';
import { passThrough, type LockClientContext, type LockExits, type LockProtocol, type StateConfigs } from './lock-client.ts';
import { fenceCounterKey } from './fenced-lock.ts';

/** Redlock's drift allowance for a TTL: 1% of it plus 2 ms for the granularity of expiry. */
export const driftAllowance = (ttlMs: number) => Math.floor(ttlMs * 0.01) + 2;

/** Options of the Redlock client. */
export interface RedlockOptions {
  /** The number of lock instances, `@1` … `@instances` (default 5). */
  readonly instances?: number;
  /** Take a fencing token from the store after acquiring. */
  readonly fenced?: boolean;
}

/** A lock client of Redlock keeps its votes in `attempt`: the count of instances that said OK this round. */
const countVote = assign(({ context, event }: { context: LockClientContext; event: ReplyEvent }) => ({ attempt: context.attempt + (event.value === 'OK' ? 1 : 0) }));
const clockReading = ({ event }: { event: ReplyEvent }) => event.value as number;

/**
 * The Redlock protocol over `instances` lock servers.
 * @example redlock({ instances: 5 }).acquire({ acquired: 'work', gaveUp: 'done' })
 */
export function redlock(options: RedlockOptions = {}): LockProtocol {
  const { instances = 5, fenced = false } = options;
  const each = Array.from({ length: instances }, (_, i) => i + 1);
  const majority = Math.floor(instances / 2) + 1;
  const held = ({ context }: { context: LockClientContext }) =>
    context.attempt >= majority && context.clock! - context.acquiredAt! < context.ttlMs - driftAllowance(context.ttlMs);
  const releaseAll = (prefix: string, next: string): StateConfigs => Object.fromEntries(each.map((i) => [`${prefix}${i}`, {
    entry: ask<LockClientContext>((c) => [`@${i}`, 'EVAL', 'compare-and-delete', 1, c.lockKey, c.token]),
    on: { reply: i < instances ? `${prefix}${i + 1}` : next },
  }]));
  return {
    name: fenced ? 'redlock-fenced' : 'redlock',
    acquire: ({ acquired, gaveUp }: LockExits) => ({
      acquire: { entry: ask<LockClientContext>(() => ['NOW']), on: { reply: { target: 'lock1', actions: assign({ acquiredAt: clockReading }) } } },
      ...Object.fromEntries(each.map((i) => [`lock${i}`, {
        entry: ask<LockClientContext>((c) => [`@${i}`, 'SET', c.lockKey, c.token, 'NX', 'PX', c.ttlMs]),
        on: { reply: { target: i < instances ? `lock${i + 1}` : 'measure', actions: countVote } },
      }])),
      measure: { entry: ask<LockClientContext>(() => ['NOW']), on: { reply: { target: 'judge', actions: assign({ clock: clockReading }) } } },
      judge: { always: [{ guard: held, target: fenced ? 'fence' : acquired }, { target: 'unlock1' }] },
      ...(fenced && {
        fence: {
          entry: ask<LockClientContext>((c) => ['INCR', fenceCounterKey(c.lockKey)]),
          on: { reply: { target: acquired, actions: assign({ fence: ({ event }: { event: ReplyEvent }) => event.value as number }) } },
        },
      }),
      // Failed: release whatever was taken, so that the instances that said OK do not block others until the TTL.
      ...releaseAll('unlock', gaveUp),
    }),
    checkpoint: (next: string) => passThrough(next),
    release: (next: string) => ({ release: { always: 'release1' }, ...releaseAll('release', next) }),
  };
}
