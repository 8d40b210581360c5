// SPOILER: a reference solution of exercise 6 (docs/exercises/06-property-double-release). Try the exercise first.
import { always, sometimes, type Property, type WorldView } from 'interleave';

/** The value the last step removed from `lock:stock`, if it removed it (a DEL, a script, or nothing). */
const deleted = (w: WorldView) => w.step?.changes.find((c) => c.key === 'lock:stock' && c.to === null)?.from ?? null;

/** The token of the process that took the last step. */
const actorToken = (w: WorldView) => (w.step ? w.processes[w.step.proc].context.token : undefined);

/**
 * Judged on each step: a step that removed the lock must have been taken by the client whose token it held. A
 * `sometimes` partner proves the runs do release locks at all, so the `always` is not true for want of trying.
 */
export const properties: Property[] = [
  always(
    'no-foreign-release',
    "a client never deletes the lock while it holds another client's token",
    (w) => deleted(w) === null || deleted(w) === actorToken(w),
    (w) => `${w.processes[w.step!.proc].name} deleted lock:stock holding ${deleted(w)}, not its own ${String(actorToken(w))}`,
  ),
  sometimes('reaches-own-release', 'some client deletes its own lock', (w) => deleted(w) !== null && deleted(w) === actorToken(w)),
];
