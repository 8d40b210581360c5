/**
 * Mutual exclusion: at most one process is inside its critical section at any true time. "Inside" is what the
 * process believes (its state carries the `critical` tag) — a paused process whose lock expired is still inside.
 */
import { always, sometimes, type Property, type WorldView } from './property.ts';

const inside = (w: WorldView) => w.processes.filter((p) => p.inCritical).map((p) => p.name);

/** How many are inside; counted without allocating, since it runs after every step of every run. */
function insideCount(w: WorldView): number {
  let count = 0;
  for (const p of w.processes) if (p.inCritical) count++;
  return count;
}

/**
 * `mutual-exclusion`, paired with `reaches-critical-section`.
 * @example mutualExclusion()
 */
export function mutualExclusion(): Property[] {
  return [
    always('mutual-exclusion', 'at most one process inside the critical section', (w) => insideCount(w) <= 1,
      (w) => `${inside(w).join(' and ')} are inside the critical section at once`),
    sometimes('reaches-critical-section', 'some process enters the critical section', (w) => insideCount(w) >= 1),
  ];
}
