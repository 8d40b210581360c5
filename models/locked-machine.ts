/**
 * Splices a lock protocol around a scenario's critical section to make one xstate machine:
 * `acquire …` → the section (entered at `work`, ending in `release`) → `release …` → `done`. Every state of the
 * section, and the protocol's checkpoint states, carry the `critical` tag: the process believes it holds the lock.
 */
import type { AnyStateMachine } from 'xstate';
import { CRITICAL, protocolSetup } from './protocol.ts';
import type { LockClientContext, LockProtocol, StateConfigs } from './lock-client.ts';

/**
 * Adds the `critical` tag to every state of `states`.
 * @example critical({ work: { always: 'release' } }) // { work: { always: 'release', tags: ['critical'] } }
 */
export function critical(states: StateConfigs): StateConfigs {
  return Object.fromEntries(Object.entries(states).map(([name, config]) => [name, { ...config, tags: [CRITICAL] }]));
}

/**
 * A protocol that takes no lock at all: straight into the section, straight out.
 * @example lockedMachine('buyer', noLock, plainSection) // check-then-act with no lock at all
 */
export const noLock: LockProtocol = {
  name: 'no-lock',
  acquire: ({ acquired }) => ({ acquire: { always: acquired } }),
  checkpoint: (next) => ({ checkpoint: { always: next } }),
  release: (next) => ({ release: { always: next } }),
};

/**
 * A machine that takes `lock`, runs `section(lock)` (entered at `work`, ending by going to `release`; it splices
 * `lock.checkpoint(…)` in before its writes), releases, and finishes in `done`.
 * @example lockedMachine('buyer', naiveLock, () => ({ work: { always: 'release' } }))
 */
export function lockedMachine<C extends LockClientContext>(id: string, lock: LockProtocol, section: (lock: LockProtocol) => StateConfigs): AnyStateMachine {
  // The states are spliced from fragments at run time, so their schema cannot be typed statically.
  const states = {
    ...lock.acquire({ acquired: 'work', gaveUp: 'done' }),
    ...critical(section(lock)),
    ...lock.release('done'),
    done: { type: 'final' },
  } as Record<string, object>;
  return protocolSetup<C>().createMachine({
    id,
    context: ({ input }) => input,
    initial: 'acquire',
    states,
  });
}
