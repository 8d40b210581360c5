/**
 * A planned disconnect, for real: a process's command goes out on a connection of its own, and the server kills
 * that connection (`CLIENT KILL ID`, sent at once on another connection) while the command is in flight. The
 * kill names that connection's id, so it hits no other: not the run's shared connection, not another process's,
 * not another run's. (Processes in this Node process share one connection, as a service's handlers share one
 * ioredis client; the victim's own is opened for the command, named after the iteration for the leftover check.)
 *
 * What the process then sees is its client's choice, so it is made here, explicitly (read in ioredis 5.11's
 * `event_handler.js` and `RedisOptions.js`). ioredis by default (a `retryStrategy` that reconnects,
 * `autoResendUnfulfilledCommands: true`, `maxRetriesPerRequest: 20`) keeps a command that was sent and not
 * answered when its connection closed and sends it again once reconnected: at-least-once, so it may run twice.
 * With `autoResendUnfulfilledCommands: false` it drops such a command without ever settling its promise
 * (redis/ioredis#2193). The runner's processes behave as with `maxRetriesPerRequest: 0`: the close rejects the
 * command at once (MaxRetriesPerRequestError; here the closed connection's "Connection is closed."), nothing is
 * resent, and later commands go on a new connection. The command's outcome is then unknown: it ran, its reply
 * lost with the connection, or never ran. Which of the three happens is a real race (the kill goes out on an idle
 * connection just after the command): on a 2-core machine, with 4 iterations in flight, 3-16 of 60 replies were
 * lost, 0-2 commands never ran, the rest were answered first; with each process in a child process, 8 of 24. An
 * unanswered command is recorded as such, and the judge reads it both ways (disconnect-readings.ts). The
 * scenario's machines have no path for a failed command, so the process ends there, as if it crashed
 * (process-runner.ts); an answered one goes on.
 *
 * The embedded backend has no connection to kill: the command runs on the mock or not, as the fault plan says,
 * and its reply is lost either way. A write a stall of the mock holds does not run: a real server drops a held
 * command with its killed connection (redis-stall.ts).
 */
import type { Command } from '../../models/protocol.ts';
import { UsageError } from '../check/prepare.ts';
import type { Namespace } from './namespace.ts';
import type { RedisConnection } from './redis-client.ts';
import type { RedisStall } from './redis-stall.ts';
import type { TimeScale } from './time-scale.ts';

/** What became of a command on a killed connection: its reply (in model terms) when it came before the close. */
export type KilledCommand = { readonly answered: true; readonly reply: unknown } | { readonly answered: false };

/** Where and how the command goes: the iteration's namespace and time scale; on a mock, whether it runs. */
export interface KillSettings {
  /** The iteration's namespace (keys, and the name of the victim's connection). */
  readonly namespace: Namespace;
  /** The run's time scale. */
  readonly scale: TimeScale;
  /** On the embedded backend: the command runs before the kill, or not at all. */
  readonly executes: boolean;
  /** On the embedded backend: the run's stalls, as a write one holds never runs (none in child processes: real servers only). */
  readonly stall?: RedisStall;
}

/**
 * Runs `cmd` (as the machine wrote it) on a new connection to `server`'s Redis and has the server kill that
 * connection as the command goes; on a mock, runs it or not as `settings.executes` says (never a write a stall holds).
 * @example await commandOnKilledConnection(host.connection, ['INCR', 'sold'], { namespace, scale, executes: true }) // { answered: false }
 */
export async function commandOnKilledConnection(server: RedisConnection, cmd: Command, settings: KillSettings): Promise<KilledCommand> {
  const wire = settings.scale.redisCommand(settings.namespace.redisCommand(cmd));
  const own = await server.another();
  if (own === null) {
    if (settings.executes && settings.stall?.holds(server, wire) !== true) await server.exec(wire);
    return { answered: false };
  }
  // The kill goes on an idle connection of its own, so that nothing queued ahead of it delays it.
  const killer = (await server.another().catch(async (error: unknown) => {
    await own.close();
    throw error;
  }))!;
  try {
    await own.exec(['CLIENT', 'SETNAME', `${settings.namespace.prefix}killed`]);
    const id = await own.exec(['CLIENT', 'ID']);
    const sent = own.exec(wire).then(
      (reply): KilledCommand => ({ answered: true, reply: settings.scale.redisReply(cmd, reply) }),
      // RedisConnection throws nothing else: an error reply is a reply.
      (error: unknown): KilledCommand => {
        if (error instanceof UsageError) return { answered: false };
        throw error;
      },
    );
    await killer.exec(['CLIENT', 'KILL', 'ID', id as number]);
    return await sent;
  } finally {
    await Promise.all([own.close(), killer.close()]);
  }
}
