/**
 * No foreign release (the reference article's "double release"): a client's release never removes a lock whose
 * value is another client's token. Judged on the step itself: the key changes it made and the actor's token.
 */
import { always, sometimes, type Property, type WorldView } from './property.ts';

/** The lock value the acting process deleted, if the last step deleted `lockKey`. */
function deletedValue(w: WorldView, lockKey: string): string | null {
  // A loop, not `find(…)`: tested after every step of a search, it should make no closure.
  const changes = w.step?.changes;
  if (changes) for (const c of changes) if (c.key === lockKey && c.to === null) return c.from;
  return null;
}

const actorToken = (w: WorldView) => (w.step ? w.processes[w.step.proc].context.token : undefined);

/**
 * `no-foreign-release` on `lockKey`, paired with `reaches-own-release`.
 * @example noForeignRelease('lock:stock')
 */
export function noForeignRelease(lockKey: string): Property[] {
  return [
    always(
      'no-foreign-release',
      `a client only ever deletes ${lockKey} while it holds its own token`,
      (w) => {
        const deleted = deletedValue(w, lockKey);
        return deleted === null || deleted === actorToken(w);
      },
      (w) => {
        const deleted = deletedValue(w, lockKey);
        const owner = w.processes.find((p) => p.context.token === deleted);
        return `${w.processes[w.step!.proc].name} (token ${String(actorToken(w))}) deleted ${lockKey} while it held ${owner ? `${owner.name}'s token ` : ''}${deleted}`;
      },
      // Only a command that changed the lock key can delete it.
      [lockKey],
    ),
    sometimes('reaches-own-release', `some client deletes its own ${lockKey}`, (w) => {
      const deleted = deletedValue(w, lockKey);
      return deleted !== null && deleted === actorToken(w);
    }, [lockKey]),
  ];
}
