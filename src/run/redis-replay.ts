/**
 * When did the server execute each command? Each Redis command is atomic on the server and the run's commands
 * to it share one connection, so the history's order is the server's serial order (redis-client.ts; processes
 * in child processes have a connection each, and their history is put in that order: child/history-order.ts).
 * With several servers (redis-fleet.ts) that holds per server, and nothing orders one server's commands
 * against another's: each server's commands are placed on their own ({@link placeOnHosts}).
 * What a history cannot say is the exact instant: only that it was between the command's sending and its
 * reply. That matters where a TTL runs out inside that window — and a lock's `SET … PX` placed a little early
 * or late moves its expiry, which a later command on the same key reveals.
 *
 * So the commands are placed, in order, on the model: each at an instant of its window (widened by
 * {@link SLACK_REAL_MS}; never before the previous command) at which the model answers what the server
 * answered — its sending first, then its reply, then the window's edges, the instants at which some key
 * expires inside it and, for a command that sets a TTL, those at which its key would expire at the edge of a
 * later command's window, then its middle. When no instant works, the search goes back up to
 * {@link BACKTRACK_DEPTH} commands and tries their other instants (a bounded depth-first search). Only if that
 * fails too do the model and the server disagree: a fidelity problem, reported, with the command placed at its
 * reply. An instant that leaves the servers as an earlier one tried for the same command did (a failed SET NX,
 * a GET, an INCR: most commands) is not tried again: from the same state, the earlier instant allows every
 * later placement the later one does. Without that, the commands between a lock's SET and the one that shows
 * when the SET ran (other buyers' retries, under load all answered late) multiply the search by their instants
 * each, and it gave up before reaching the SET.
 */
import type { Command } from '../../models/protocol.ts';
import type { RedisServers } from '../sim/redis-servers.ts';

/**
 * How far outside its recorded window, in real ms, a command may have executed: Redis (and ioredis-mock) count
 * whole milliseconds, a real server reads a command a little after it was sent, and on a loaded machine a
 * garbage collection or a stalled event loop can hold a process for a few milliseconds between reading the
 * clock and sending.
 */
export const SLACK_REAL_MS = 5;

/**
 * How many commands back the search may revise an instant: across a lock's TTL, under load, a run's other
 * processes send a dozen commands or more (seen: 10 between a SET and the reply that placed it).
 */
export const BACKTRACK_DEPTH = 32;

/** Trial executions one history may cost before the search gives up revising. */
const BUDGET = 50_000;

/** A recorded Redis command: what was sent, what came back, and when, model ms. */
export interface RecordedCommand {
  /** The command as the machine wrote it. */
  readonly command: Command;
  /** The server's reply, in model terms. */
  readonly reply: unknown;
  /** When it was sent. */
  readonly sent: number;
  /** When its reply arrived (or, with no reply, when its connection was seen closed). */
  readonly answered: number;
  /** No reply came (a disconnect: disconnect-readings.ts): any reply agrees. */
  readonly unanswered?: boolean;
}

/** Where a command was placed. */
export interface Placement {
  /** The instant it executes at on the model, model ms. */
  readonly at: number;
  /** False when no placement found gives the server's reply. */
  readonly agrees: boolean;
}

/** One command being placed: the instants to try, how many were tried, the agreeing ones, and the choice so far. */
interface Frame {
  readonly options: readonly number[];
  next: number;
  readonly tried: { readonly at: number; readonly after: RedisServers }[];
  at: number;
  after: RedisServers;
  agrees: boolean;
}

/**
 * Places `commands`, executed in order on a copy of `initial`; `resolution` is one real millisecond in model ms.
 * @example placeRedisCommands(servers, [{ command: ['SET', 'lock', 'a', 'NX', 'PX', 100], reply: 'OK', sent: 10, answered: 12 }], 1) // [{ at: 10, agrees: true }]
 */
export function placeRedisCommands(initial: RedisServers, commands: readonly RecordedCommand[], resolution: number): Placement[] {
  const slack = SLACK_REAL_MS * resolution;
  const frames: Frame[] = [];
  let budget = BUDGET;
  /** Never revise a command before this one (a disagreement was accepted there). */
  let floor = 0;
  /** The command no placement has agreed with yet, while the search revises earlier ones. */
  let failing: number | null = null;
  /** Giving up on `failing`: placing greedily again, accepting a disagreement where none agrees. */
  let accepting = false;
  // Only revising costs budget: placing forward always goes on.
  const affordable = () => accepting || failing === null || budget-- > 0;
  for (let i = 0; i < commands.length;) {
    const before = i === 0 ? initial : frames[i - 1].after;
    const notBefore = i === 0 ? 0 : frames[i - 1].at;
    const recorded = commands[i];
    const frame = (frames[i] ??= { options: instants(before, commands, i, notBefore, slack), next: 0, tried: [], at: 0, after: before, agrees: true });
    if (tryNext(frame, before, recorded, affordable)) {
      frames.length = i + 1;
      if (i === failing) {
        failing = null;
        accepting = false;
      }
      i++;
      continue;
    }
    if (!accepting) {
      failing ??= i;
      frames.length = i;
      if (budget > 0 && i > floor && i - 1 >= failing - BACKTRACK_DEPTH) i--;
      else accepting = true;
      continue;
    }
    frame.at = Math.max(notBefore, Math.round(recorded.answered));
    frame.after = before.clone();
    frame.after.exec(recorded.command, frame.at);
    frame.agrees = false;
    frames.length = i + 1;
    floor = ++i;
    failing = null;
    accepting = false;
  }
  return frames.map(({ at, agrees }) => ({ at, agrees }));
}

/**
 * Places each host's commands on their own ({@link placeRedisCommands}), all from `initial`: a host's servers
 * are the only ones its commands touch, and its order is the only order they were executed in. `hostOf` gives a
 * command's host; placements come back in the order of `commands`.
 * @example placeOnHosts(servers, commands, 20, (c) => hosts[addressedServer(c.command)])
 */
export function placeOnHosts(initial: RedisServers, commands: readonly RecordedCommand[], resolution: number, hostOf: (recorded: RecordedCommand) => number): Placement[] {
  const byHost = new Map<number, number[]>();
  commands.forEach((recorded, i) => {
    const host = hostOf(recorded);
    if (!byHost.has(host)) byHost.set(host, []);
    byHost.get(host)!.push(i);
  });
  const placements: Placement[] = [];
  for (const indices of byHost.values()) {
    const placed = placeRedisCommands(initial, indices.map((i) => commands[i]), resolution);
    indices.forEach((i, j) => { placements[i] = placed[j]; });
  }
  return placements;
}

/**
 * Tries the frame's remaining instants; true once one gives the server's reply and a state that no earlier
 * agreeing instant tried gave (the frame then holds it).
 */
function tryNext(frame: Frame, before: RedisServers, recorded: RecordedCommand, affordable: () => boolean): boolean {
  while (frame.next < frame.options.length && affordable()) {
    const at = frame.options[frame.next++];
    const trial = before.clone();
    const { reply } = trial.exec(recorded.command, at);
    if (sameReply(recorded, reply)) {
      if (frame.tried.some((t) => t.at <= at && t.after.sameAs(trial, at))) continue;
      frame.tried.push({ at, after: trial });
      frame.at = at;
      frame.after = trial;
      frame.agrees = true;
      return true;
    }
  }
  return false;
}

/**
 * The instants worth trying for `commands[i]`, best first: the sending, the reply, then in time order the
 * widened window's edges, the instants around each expiry inside it, and, for a command that gives a key a TTL,
 * the instants at which that key would expire at the edge of a later command's window (the only places where the
 * model's answer, or a later one's, can change); last, the middle.
 */
function instants(servers: RedisServers, commands: readonly RecordedCommand[], i: number, notBefore: number, slack: number): number[] {
  const recorded = commands[i];
  const lo = recorded.sent - slack;
  const hi = recorded.answered + slack;
  const expiries = servers.expiryInstants(Math.max(0, Math.floor(lo) - 1)).filter((t) => t > lo && t <= hi).flatMap((t) => [t - 1, t]);
  // A lock's SET whose expiry a later command reveals may have to lie well inside its window, where that expiry
  // falls just inside or just outside the later command's window (seen under heavy load: 32 real ms windows).
  const ttls = lifetimes(servers, recorded.command, Math.round(recorded.sent));
  const aligned = ttls.length === 0 ? [] : commands.slice(i + 1).flatMap((c) => ttls.flatMap((ttl) => [c.sent - slack - ttl + 1, c.answered + slack - ttl]))
    .filter((t) => t > lo && t < hi);
  const clamp = (t: number) => Math.max(notBefore, Math.round(t));
  const later = [lo, hi, ...expiries, ...aligned].map(clamp).sort((a, b) => a - b);
  // Last, the window's middle: under heavy load windows grow long (seen with child processes).
  return [...new Set([clamp(recorded.sent), clamp(recorded.answered), ...later, clamp((recorded.sent + recorded.answered) / 2)])];
}

/** How long after `at` each expiry that `command`, run at `at` on `servers`, sets comes: the TTLs it gives. */
function lifetimes(servers: RedisServers, command: Command, at: number): number[] {
  const before = servers.expiryInstants(at);
  const trial = servers.clone();
  trial.exec(command, at);
  return trial.expiryInstants(at).filter((t) => {
    const k = before.indexOf(t);
    if (k < 0) return true;
    before.splice(k, 1);
    return false;
  }).map((t) => t - at);
}

/** Replies agree (any does with no reply); a PTTL within the window's width, as time ran while it travelled. */
function sameReply(recorded: RecordedCommand, model: unknown): boolean {
  const { command, reply } = recorded;
  if (recorded.unanswered) return true;
  const name = String(String(command[0]).startsWith('@') ? command[1] : command[0]).toUpperCase();
  if (name === 'PTTL' && typeof model === 'number' && typeof reply === 'number' && model >= 0 && reply >= 0) {
    return Math.abs(model - reply) <= recorded.answered - recorded.sent + 1;
  }
  return JSON.stringify(model) === JSON.stringify(reply);
}
