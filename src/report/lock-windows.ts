/**
 * Lock validity windows, two views of each: how long the holder *believes* it holds a lock (from its `SET … NX`
 * → OK until it releases, crashes or finishes) and how long the server *has* it (from that `SET` until the key
 * expires, is deleted or is overwritten). Where the two disagree is where locks go wrong: a belief bar that
 * outlives its server bar is a process acting on a lock it no longer has.
 */
import type { StepReading } from './step-reading.ts';
import type { TimelineStep } from './timeline.ts';

/** How a window ended. */
export type WindowEnd = 'released' | 'crashed' | 'finished' | 'expired' | 'deleted' | 'overwritten' | 'open';

/** One lock validity window, as the holder or as a server sees it. */
export interface LockWindow {
  /** `holder`: the process's belief, on its lane; `server`: the key's life on a server, on the server's lane. */
  readonly view: 'holder' | 'server';
  /** The lane it is drawn on. */
  readonly lane: string;
  /** The process that took the lock. */
  readonly holder: string;
  /** The lock's key. */
  readonly key: string;
  /** The value the holder set (its token). */
  readonly token: string;
  /** The row (index into the steps) where it begins. */
  readonly from: number;
  /** The row where it ends, or `null` when it is still open at the end of the timeline. */
  readonly to: number | null;
  /** How it ended. */
  readonly end: WindowEnd;
  /**
   * For a holder's window: the row from which no server has its token any more while it still believes it holds
   * the lock (the key expired or was deleted under it); `null` when that never happens, and for a server's.
   */
  readonly lost: number | null;
}

type Open = { -readonly [K in keyof LockWindow]: LockWindow[K] };

/** A script whose name says it releases a lock (the built-in `compare-and-delete`, or one of the user's). */
const RELEASE_SCRIPT = /delete|release|unlock/i;

/**
 * The lock windows of a timeline, in the order they open. A lock is taken by `SET key value NX …` answered `OK`
 * (or taken over by `GETSET key value`); the holder's belief ends at its `DEL key` or releasing script, its
 * crash or its end; the server's at the key's expiry, deletion or overwrite.
 * @example lockWindows(steps, steps.map(readStep)).filter((w) => w.view === 'server' && w.end === 'expired')
 */
export function lockWindows(steps: readonly TimelineStep[], readings: readonly StepReading[]): LockWindow[] {
  const windows: Open[] = [];
  const open = (test: (w: Open) => boolean) => windows.filter((w) => w.end === 'open' && test(w));
  const close = (list: readonly Open[], row: number, end: WindowEnd) => list.forEach((w) => Object.assign(w, { to: row, end }));
  readings.forEach((reading, row) => {
    const node = steps[row].node;
    if (reading.kind === 'mark') {
      if (reading.mark === 'expire' && reading.expired) {
        const { key, value } = reading.expired;
        close(open((w) => w.view === 'server' && w.lane === node && w.key === key && w.token === value), row, 'expired');
      }
      if (reading.mark === 'crash' || reading.mark === 'finish') close(open((w) => w.view === 'holder' && w.lane === node), row, reading.mark === 'crash' ? 'crashed' : 'finished');
      return;
    }
    const command = reading.command;
    if (!command) return;
    const { name, args, reply, removed } = command;
    const server = reading.to;
    close(open((w) => w.view === 'server' && w.lane === server && removed.includes(w.token)), row, 'deleted');
    const [key, value] = args;
    const writes = (name === 'SET' && reply === 'OK') || name === 'GETSET'; // the key now holds `value`
    const takes = writes && (name === 'GETSET' || args.slice(2).some((a) => a.toUpperCase() === 'NX'));
    if (writes) close(open((w) => w.view === 'server' && w.lane === server && w.key === key), row, 'overwritten');
    if (takes) {
      windows.push({ view: 'server', lane: server, holder: node, key, token: value, from: row, to: null, end: 'open', lost: null });
      if (open((w) => w.view === 'holder' && w.lane === node && w.key === key).length === 0) {
        windows.push({ view: 'holder', lane: node, holder: node, key, token: value, from: row, to: null, end: 'open', lost: null });
      }
    }
    const releases = name === 'DEL' || (name === 'EVAL' && RELEASE_SCRIPT.test(args[0] ?? ''));
    if (releases) close(open((w) => w.view === 'holder' && w.lane === node && args.includes(w.key)), row, 'released');
  });
  for (const belief of windows.filter((w) => w.view === 'holder')) belief.lost = lostAt(belief, windows);
  return windows;
}

/** The row where the last server copy of a holder's token went, if every copy went before the holder let go. */
function lostAt(belief: LockWindow, windows: readonly LockWindow[]): number | null {
  const copies = windows.filter((w) => w.view === 'server' && w.key === belief.key && w.token === belief.token);
  if (copies.length === 0 || copies.some((w) => w.to === null)) return null;
  const last = Math.max(...copies.map((w) => w.to!));
  return belief.to === null || last < belief.to ? last : null;
}
