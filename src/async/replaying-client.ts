/**
 * An ioredis-shaped client that replays a known prefix of replies and stops at the next command. Calling
 * `client.set(…)`, `client.get(…)`, `client.eval(…)` or any other method turns into the flat command the checker
 * runs (`['SET', …]`; `client.now()` and `client.sleep(ms)` become the checker's clock commands NOW and SLEEP); the first `replies.length` calls answer from `replies`, the next one is reported and
 * never answers. Running an async function against it once per reply history reveals its whole command/reply
 * tree, one branch at a time, without the function being aware of it.
 */
import type { Redis } from 'ioredis';
import type { Command } from '../../models/protocol.ts';
import { redisScripts } from '../world/redis/scripts/index.ts';
import { isRedisError, type RedisReply } from '../world/redis/types.ts';
import { UsageError } from '../check/prepare.ts';

/**
 * What a Redis error reply rejects a command's promise with, as ioredis's `ReplyError` does; one the function
 * lets escape ends its process, as it ends a request.
 * @example try { await client.incr('lock:stock'); } catch (error) { if (error instanceof RedisReplyError) return; throw error; }
 */
export class RedisReplyError extends Error {
  /** Always `ReplyError`, ioredis's name for it. */
  override readonly name = 'ReplyError';
}

/**
 * The client a checked function receives: typed as ioredis's `Redis` (so a function written for ioredis is
 * taken as it is), plus the checker's clock. Any method call becomes a command whose promise answers with its
 * reply; only commands the Redis model knows get a Redis reply, the others an error reply.
 * @example const f = async (client: ReplayingClient) => client.set('lock', 'A', 'PX', 1_000, 'NX');
 */
export type ReplayingClient = Redis & {
  /** Reads the process's own clock (its skew and drift applied), ms. */
  now(): Promise<number>;
  /** Waits `ms` by the process's own clock; resolves with null. */
  sleep(ms: number): Promise<null>;
};

/** Where the client reports the command that has no reply yet. */
export type OnCommand = (command: Command) => void;

/**
 * A client that answers its first calls from `replies` (checking that they repeat `expected`, the commands they
 * were before) and hands the next call's command to `onCommand`, leaving it pending forever.
 * @example replayingClient([], [], (cmd) => console.log(cmd)).set('lock', 'A', 'EX', 5, 'NX') // logs ['SET', 'lock', 'A', 'EX', 5, 'NX']
 */
export function replayingClient(replies: readonly unknown[], expected: readonly Command[], onCommand: OnCommand): ReplayingClient {
  let calls = 0;
  const call = (method: string, args: readonly unknown[]): Promise<unknown> => {
    const command = toCommand(method, args);
    const index = calls++;
    if (index > replies.length) throw new UsageError(`the function sent ${describe(command)} before its previous command replied: run commands one at a time (no Promise.all, no pipelines)`);
    if (index === replies.length) {
      onCommand(command);
      return new Promise(() => {});
    }
    if (JSON.stringify(command) !== JSON.stringify(expected[index])) {
      throw new UsageError(`the function sent ${describe(command)} where it sent ${describe(expected[index]!)} before, after the same replies: it must be deterministic (time from client.now(), waits by client.sleep(ms); no Date.now, timers or Math.random)`);
    }
    const reply = replies[index] as RedisReply;
    return isRedisError(reply) ? Promise.reject(new RedisReplyError(reply.error)) : Promise.resolve(reply);
  };
  return new Proxy({}, {
    // `then` stays undefined, so that awaiting the client itself does not mistake it for a promise.
    get: (_, method) => (typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(method, args) : undefined),
  }) as ReplayingClient;
}

/** The flat command of an ioredis call: arrays among the arguments flattened, EVAL's Lua text by script name. */
function toCommand(method: string, args: readonly unknown[]): Command {
  const flat = args.flat();
  for (const arg of flat) {
    if (typeof arg !== 'string' && typeof arg !== 'number') throw new UsageError(`client.${method}: argument ${JSON.stringify(arg)} is not a string or a number`);
  }
  const name = method.toUpperCase();
  if (name !== 'EVAL') return [name, ...(flat as (string | number)[])];
  const [script, ...rest] = flat as (string | number)[];
  return [name, scriptName(String(script)), ...rest];
}

/** The built-in script whose Lua text (or name) `script` is: the checker runs each script's model twin. */
function scriptName(script: string): string {
  const text = script.trim();
  for (const known of redisScripts.values()) {
    if (known.name === text || known.lua.trim() === text) return known.name;
  }
  throw new UsageError(`client.eval: the script is not one of the built-in scripts (${[...redisScripts.keys()].join(', ')}); send one of their Lua texts (redisScripts.get(name).lua)`);
}

function describe(command: Command): string {
  return command.join(' ');
}
