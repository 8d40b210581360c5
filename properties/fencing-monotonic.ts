/**
 * Fencing monotonic: the store never accepts a fencing token lower than one it has accepted. The store's
 * high-water mark lives in `fenceKey`; an accepted fenced request must leave it equal to its own token, and the
 * mark must never go down.
 */
import { always, intValue, sometimes, type Property, type WorldView } from './property.ts';

const FENCED = new Set(['fenced-get', 'fenced-set']);

/** The token of the last step if it was a fenced store request. */
function fencedToken(w: WorldView): number | null {
  const cmd = w.step?.command;
  return cmd && cmd[0] === 'EVAL' && FENCED.has(String(cmd[1])) ? Number(cmd[5]) : null;
}

/**
 * `fencing-monotonic` for the store whose mark is `fenceKey`, paired with `reaches-stale-rejected`.
 * @example fencingMonotonic('stock:fence')
 */
export function fencingMonotonic(fenceKey: string): Property[] {
  // A loop, not `some(…)`: tested after every step of a search, it should make no closure.
  const lowered = (w: WorldView) => {
    const changes = w.step?.changes;
    if (changes) for (const c of changes) if (c.key === fenceKey && Number(c.to) < Number(c.from)) return true;
    return false;
  };
  const acceptedBelowMark = (w: WorldView) => {
    const token = fencedToken(w);
    return token !== null && w.step!.reply !== 'STALE' && intValue(w, fenceKey) !== token;
  };
  return [
    always('fencing-monotonic', 'the store never accepts a token lower than one it accepted',
      (w) => !lowered(w) && !acceptedBelowMark(w),
      (w) => `the store accepted token ${fencedToken(w)} after token ${w.get(fenceKey)}`),
    sometimes('reaches-stale-rejected', 'the store rejects a stale token', (w) => fencedToken(w) !== null && w.step!.reply === 'STALE'),
  ];
}
