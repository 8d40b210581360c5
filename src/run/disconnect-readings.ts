/**
 * Reading a history with disconnects. A command sent on a connection the server then killed (history.ts,
 * killed-connection.ts) went on a connection of its own, so the history's order — the server's serial order of
 * the commands on the run's shared connection (redis-replay.ts) — does not place it: it ran, if at all, between
 * its sending and the close; and when no reply came, it may not have run. A reading settles both: the entries
 * in an order in which the server may have run their commands, and which disconnects' commands never ran.
 *
 * The judge keeps the first reading under which the models agree best with the servers (fewest fidelity
 * problems: every reply, and the end state): first every such command run where it was recorded, the likeliest
 * (it was sent just before the kill); only while that leaves a disagreement, each disconnect in turn at its other
 * possible places, nearest first, and, if no reply came, not run at all. So an unknown outcome is read as the
 * rest of the history says, and never turned into a disagreement.
 */
import type { HistoryEntry } from './history.ts';
import { isRedisCommand } from './history.ts';
import type { RecordedCommand } from './redis-replay.ts';

/** One way the server may have run a history's commands. */
export interface Reading {
  /** The history's entries, in an order the server may have run their Redis commands in. */
  readonly entries: readonly HistoryEntry[];
  /** The disconnects whose command never ran. */
  readonly unrun: ReadonlySet<HistoryEntry>;
}

type Disconnect = Extract<HistoryEntry, { kind: 'disconnect' }>;

/**
 * The history as recorded: every disconnect's command run, where it was recorded.
 * @example asRecorded(record.history.entries).unrun.size // 0
 */
export function asRecorded(entries: readonly HistoryEntry[]): Reading {
  return { entries, unrun: new Set() };
}

/**
 * Judges readings of `entries` with `judgeReading` and keeps the first with the fewest fidelity problems (the
 * recorded one alone when it has none); `slack` widens every window, model ms (redis-replay.ts).
 * @example bestReading(record.history.entries, 100, (reading) => new Judge(prepared, 20).run(record, reading))
 */
export function bestReading<J extends { readonly fidelity: readonly unknown[] }>(entries: readonly HistoryEntry[], slack: number, judgeReading: (reading: Reading) => J): J {
  let reading = asRecorded(entries);
  let best = judgeReading(reading);
  for (const disconnect of entries.filter((e): e is Disconnect => e.kind === 'disconnect')) {
    for (const alternative of alternatives(reading, disconnect, slack)) {
      if (best.fidelity.length === 0) return best;
      const judged = judgeReading(alternative);
      if (judged.fidelity.length < best.fidelity.length) [best, reading] = [judged, alternative];
    }
  }
  return best;
}

/**
 * The Redis commands that ran in `reading`, in its order, as the placement takes them: a disconnect's with no
 * reply agrees with any.
 * @example placeRedisCommands(servers, redisCommandsOf(reading), 20)
 */
export function redisCommandsOf(reading: Reading): RecordedCommand[] {
  return reading.entries.flatMap((e): RecordedCommand[] => {
    if (e.kind === 'command' && isRedisCommand(e.command)) return [{ command: e.command, reply: e.reply, sent: e.invokedAt, answered: e.at }];
    if (e.kind === 'disconnect' && !reading.unrun.has(e)) return [{ command: e.command, reply: e.reply, sent: e.invokedAt, answered: e.at, unanswered: !e.answered }];
    return [];
  });
}

/**
 * The other readings of `disconnect` in `reading`, nearest first: moved (with the crash it caused) before each
 * command that may have run after it was sent, or after each that may have run before the close — never past an
 * entry of its own process — and, if no reply came, not run.
 */
function alternatives(reading: Reading, disconnect: Disconnect, slack: number): Reading[] {
  const from = reading.entries.indexOf(disconnect);
  const after = reading.entries[from + 1];
  const block: HistoryEntry[] = after?.proc === disconnect.proc && after.kind === 'crash' ? [disconnect, after] : [disconnect];
  const rest = reading.entries.filter((e) => !block.includes(e));
  const runs = (e: HistoryEntry): e is Extract<HistoryEntry, { kind: 'command' | 'disconnect' }> =>
    (e.kind === 'command' && isRedisCommand(e.command)) || (e.kind === 'disconnect' && !reading.unrun.has(e));
  const places: number[] = [];
  for (let k = from - 1; k >= 0 && rest[k].proc !== disconnect.proc; k--) {
    if (!runs(rest[k])) continue;
    if (rest[k].at + slack < disconnect.invokedAt) break;
    places.push(k);
  }
  for (let k = from; k < rest.length && rest[k].proc !== disconnect.proc; k++) {
    const e = rest[k];
    if (!runs(e)) continue;
    if (e.invokedAt > disconnect.at + slack) break;
    places.push(k + 1);
  }
  places.sort((a, b) => Math.abs(a - from) - Math.abs(b - from));
  const moved = places.map((k) => ({ entries: [...rest.slice(0, k), ...block, ...rest.slice(k)], unrun: reading.unrun }));
  return disconnect.answered ? moved : [...moved, { entries: reading.entries, unrun: new Set([...reading.unrun, disconnect]) }];
}
