/**
 * The history of an iteration run in child processes, put in the servers' order. The entries of each process
 * reach the parent in the order its child made them, but the children's streams interleave as their IPC
 * channels happen to deliver them; and two children's Redis commands, on two connections, may be executed in
 * one order and reported in the other — while the judge re-executes Redis commands in the history's order,
 * which must be the server's (redis-replay.ts). So each Redis command carries its place in the server's serial
 * order (an INCR in its transaction), each effect its place in the shop's, and the entries are merged: each
 * process's own in their order, each server's numbered ones in their numbers' order, and otherwise by time.
 * Every one of these orders follows real time, so they never contradict each other.
 */
import type { History, HistoryEntry } from '../history.ts';
import type { Serial } from './messages.ts';

/**
 * The numbers of an iteration's commands, and the merge.
 * @example
 * const order = new HistoryOrder();
 * order.note(entry, { stream: 'redis', n: 3 });
 * order.apply(history);
 */
export class HistoryOrder {
  private readonly serials = new Map<HistoryEntry, Serial>();
  private effects = 0;

  /**
   * The place of an effect that executes now among the iteration's effects (the parent numbers them).
   * @example const serial = order.effectExecuted() // 1, 2, …
   */
  effectExecuted(): number {
    return ++this.effects;
  }

  /**
   * `entry` is the command numbered `serial` by its server.
   * @example order.note(entry, { stream: 'shop', n: 1 })
   */
  note(entry: HistoryEntry, serial: Serial): void {
    this.serials.set(entry, serial);
  }

  /**
   * Reorders `history.entries` in place.
   * @example order.apply(history)
   */
  apply(history: History): void {
    const lanes = new Map<number, HistoryEntry[]>();
    for (const entry of history.entries) {
      if (!lanes.has(entry.proc)) lanes.set(entry.proc, []);
      lanes.get(entry.proc)!.push(entry);
    }
    /** Per server, the numbers not merged yet, ascending. */
    const pending = new Map<Serial['stream'], number[]>();
    for (const { stream, n } of this.serials.values()) {
      if (!pending.has(stream)) pending.set(stream, []);
      pending.get(stream)!.push(n);
    }
    for (const numbers of pending.values()) numbers.sort((a, b) => a - b);
    const heads = new Map([...lanes.keys()].map((proc) => [proc, 0]));
    const ready = (entry: HistoryEntry) => {
      const serial = this.serials.get(entry);
      return serial === undefined || pending.get(serial.stream)![0] === serial.n;
    };
    const merged: HistoryEntry[] = [];
    while (merged.length < history.entries.length) {
      let next: HistoryEntry | null = null;
      let fallback: HistoryEntry | null = null;
      for (const [proc, lane] of lanes) {
        const entry = lane[heads.get(proc)!];
        if (entry === undefined) continue;
        if (fallback === null || entry.at < fallback.at) fallback = entry;
        if (ready(entry) && (next === null || entry.at < next.at)) next = entry;
      }
      // Never without a ready head, the orders agreeing with real time; were it so, time decides.
      const chosen = next ?? fallback!;
      const serial = this.serials.get(chosen);
      if (serial !== undefined) {
        const numbers = pending.get(serial.stream)!;
        numbers.splice(numbers.indexOf(serial.n), 1);
      }
      heads.set(chosen.proc, heads.get(chosen.proc)! + 1);
      merged.push(chosen);
    }
    history.entries.splice(0, history.entries.length, ...merged);
  }
}
