/**
 * What a stall of the Redis server (redis-stall.ts) tells the judge. A command is placed somewhere in its
 * window, from its sending to its reply (redis-replay.ts), trying its sending first; but a write sent to the
 * stalled server while the stall was surely on — after CLIENT PAUSE was acknowledged (the `stall` entry) and
 * before its measured end (`stall-over`) — was held, and ran only after the end: its window starts there (the
 * slack of every window, a few real ms, covers the moment between the end and its measure). A read
 * keeps its window: the stall let it through, unless it waited behind a held write on its connection, and its
 * window covers both.
 */
import type { Command } from '../../models/protocol.ts';
import type { HistoryEntry } from './history.ts';
import type { RecordedCommand } from './redis-replay.ts';
import { READS } from './redis-stall.ts';

/** A command's name, past a Redlock address (`['@2', 'GET', …]` is a GET). */
const nameOf = (command: Command) => String(String(command[0]).startsWith('@') ? command[1] : command[0]).toUpperCase();

/**
 * `commands` with the window of each write held by a stall in `entries` starting at the stall's end; `stalled`
 * tells a command to the stalled server (the store's host) from one to another.
 * @example afterStalls([{ command: ['SET', 'k', 'v'], reply: 'OK', sent: 110, answered: 305 }], [stall(100), over(300)], () => true) // sent 300
 */
export function afterStalls(commands: readonly RecordedCommand[], entries: readonly HistoryEntry[], stalled: (command: Command) => boolean): readonly RecordedCommand[] {
  const stalls: { from: number; to: number }[] = [];
  entries.forEach((e, i) => {
    if (e.kind !== 'stall') return;
    const over = entries.slice(i + 1).find((o) => o.proc === e.proc && o.kind === 'stall-over');
    // A stall the iteration's end cut short has no measured end: its writes keep their windows.
    if (over !== undefined) stalls.push({ from: e.at, to: over.at });
  });
  if (stalls.length === 0) return commands;
  return commands.map((recorded) => {
    if (READS.has(nameOf(recorded.command)) || !stalled(recorded.command)) return recorded;
    const held = stalls.find((s) => recorded.sent >= s.from && recorded.sent < s.to);
    // Its reply may be heard a hair before the stall's end is: the end is no later than either.
    return held === undefined ? recorded : { ...recorded, sent: Math.min(held.to, recorded.answered) };
  });
}
