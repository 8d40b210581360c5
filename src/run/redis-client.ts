/**
 * The runner's Redis: a real server through ioredis, or ioredis-mock in process (same client API, so one code
 * path). All processes of a run share one connection per server (redis-fleet.ts), as the processes of a Node
 * service share one ioredis client: Redis executes a connection's commands one at a time in the order they were
 * sent and answers in that order, so the order in which replies arrive is the server's own serial order of the
 * run's commands on it — which the judge relies on when it re-executes them on the model. Processes in child
 * processes (--isolation process) each have a connection of their own, so each command there is numbered by the
 * server (`execNumbered`).
 * Named scripts (src/world/redis/scripts, beside their model twins) are called by their SHA1 (EVALSHA), as client
 * libraries call them, and travel as Lua text (EVAL) when the server has not cached them and inside MULTI.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { UsageError } from '../check/prepare.ts';
import { redisScripts } from '../world/redis/scripts/index.ts';
import type { RedisCommand, RedisReply } from '../world/redis/types.ts';
import { endpoint, withinDeadline } from './endpoint.ts';

/** The location real Redis appends to an error raised inside a script; the model's errors have none. */
const SCRIPT_LOCATION = / script: \w+, on @user_script:\d+\.$/;

type CommandMethods = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/**
 * A connected Redis, real or embedded.
 * @example
 * const redis = await RedisConnection.open('real', 'redis://127.0.0.1:6379');
 * await redis.exec(['SET', 'interleave-run:1-ab:stock', 1]); // 'OK'
 * await redis.close();
 */
export class RedisConnection {
  /** `url`: where a real connection went (`null` for a mock), so that {@link another} can go there too. */
  private constructor(private readonly client: Redis, readonly label: string, private readonly url: string | null = null) {}

  /**
   * Connects to the real server at `url` (failing within 2 s with one line naming host:port), or opens an
   * ioredis-mock (`embedded`), whose keys live as long as this Node process.
   * @example await RedisConnection.open('embedded')
   */
  static async open(backend: 'embedded' | 'real', url = 'redis://127.0.0.1:6379'): Promise<RedisConnection> {
    if (backend === 'embedded') return RedisConnection.mock();
    const where = endpoint(url, ['redis:', 'rediss:'], 6379, '--redis');
    // Fail fast rather than ioredis's default of reconnecting forever and queueing commands meanwhile.
    const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    // The socket's own error (ECONNREFUSED, …) says more than connect()'s "Connection is closed".
    let cause: Error | null = null;
    client.on('error', (error: Error) => { cause ??= error; });
    try {
      await withinDeadline(client.connect(), `Redis at ${where}`);
    } catch (error) {
      client.disconnect();
      throw new UsageError(`cannot reach Redis at ${where}: ${(cause ?? (error as Error)).message}`);
    }
    return new RedisConnection(client, `Redis at ${where}`, url);
  }

  /**
   * An ioredis-mock. Mocks in one Node process share their keys when they share a host name (ioredis-mock's
   * "context"), so `host` gives a server keys of its own; the default is the one every plain mock shares.
   * @example await RedisConnection.mock('interleave-redis-2')
   */
  static async mock(host?: string): Promise<RedisConnection> {
    // Loaded when asked for: a run's child processes (real servers only) start faster without it.
    const RedisMock = (await import('ioredis-mock')).default;
    return new RedisConnection(host === undefined ? new RedisMock() : new RedisMock({ host }), 'ioredis-mock');
  }

  /**
   * Runs one command (keys already namespaced, durations already on the wire's scale) and answers in the
   * model's shape: strings, integers, nil, or `{ error }` for an error reply. `EVAL name …` calls the named
   * script.
   * @example await redis.exec(['EVAL', 'compare-and-delete', 1, key, token]) // 0 or 1
   */
  exec(cmd: RedisCommand): Promise<RedisReply> {
    // A named script goes by EVALSHA through the same single `await` as any command: replies that arrive in one
    // read then reach their callers in the order they came, which the history's order relies on (an extra hop
    // for scripts let a SET answered after a script be recorded before it). Its Lua goes only when the server
    // has not cached it yet (NOSCRIPT: nothing ran), so the text crosses the wire once per server.
    return this.run(cmd, 'sha', (error) => {
      if (!String(error.message).startsWith('NOSCRIPT')) return this.errorReply(error);
      return this.run(cmd, 'lua', (again) => this.errorReply(again));
    });
  }

  /** Runs `cmd` with named scripts sent as `scripts` says, answering `failed(error)` for an error. */
  private async run(cmd: RedisCommand, scripts: ScriptForm, failed: (error: Error) => RedisReply | Promise<RedisReply>): Promise<RedisReply> {
    const { method, args } = wire(cmd, scripts);
    const run = (this.client as unknown as CommandMethods)[method];
    if (typeof run !== 'function') return unknownCommand(cmd);
    try {
      return normalise(await run.apply(this.client, args));
    } catch (error) {
      return failed(error as Error);
    }
  }

  /**
   * Runs one command as {@link exec} does, in one MULTI/EXEC with an INCR of `counterKey`, and answers the
   * counter's new value too: the command's place in the server's serial order of every command numbered on that
   * key, whichever connection sent it (the child processes of a run have one each; `null` when the server
   * refused the command before running it).
   * @example await redis.execNumbered(['GET', ns.key('stock')], ns.key('@serial')) // { reply: '1', serial: 17 }
   */
  async execNumbered(cmd: RedisCommand, counterKey: string): Promise<{ reply: RedisReply; serial: number | null }> {
    const { method, args } = wire(cmd, 'lua');
    if (typeof (this.client as unknown as CommandMethods)[method] !== 'function') return { reply: unknownCommand(cmd), serial: null };
    const transaction = this.client.multi().incr(counterKey);
    (transaction as unknown as CommandMethods)[method](...args);
    try {
      const [[, serial], [error, reply]] = (await transaction.exec()) as [[null, number], [Error | null, unknown]];
      return { reply: error ? this.errorReply(error) : normalise(reply), serial };
    } catch (error) {
      // EXECABORT: the server refused the command as it was queued; the reason is the command's own error.
      return { reply: this.errorReply((error as { previousErrors?: Error[] }).previousErrors?.[0] ?? error), serial: null };
    }
  }

  /** An error reply in the model's shape; a lost connection is no reply but the end of the run. */
  private errorReply(error: unknown): RedisReply {
    if (isConnectionError(error)) throw new UsageError(`lost the connection to ${this.label}: ${(error as Error).message}`);
    return { error: (error as Error).message.replace(SCRIPT_LOCATION, '') };
  }

  /**
   * Every key matching `pattern` (SCAN, never KEYS).
   * @example await redis.keys('interleave-run:*')
   */
  async keys(pattern: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      for (const key of batch) found.add(key);
      cursor = next;
    } while (cursor !== '0');
    return [...found].sort();
  }

  /**
   * Deletes every key matching `pattern`; never FLUSHALL/FLUSHDB.
   * @example await redis.deleteMatching(ns.keyPattern)
   */
  async deleteMatching(pattern: string): Promise<void> {
    const keys = await this.keys(pattern);
    for (let i = 0; i < keys.length; i += 500) await this.client.del(...keys.slice(i, i + 500));
  }

  /**
   * A persistent key's value, or `null` when it is absent or has a TTL (a volatile key's value at the moment of
   * reading depends on when one reads).
   * @example await redis.persistentValue(ns.key('stock')) // '0'
   */
  async persistentValue(key: string): Promise<string | null> {
    const [[, value], [, ttl]] = (await this.client.multi().get(key).pttl(key).exec()) as [[null, string | null], [null, number]];
    return ttl === -1 ? value : null;
  }

  /**
   * A new connection to the same real server (one a fault may kill: killed-connection.ts), or `null` for a mock,
   * which has no server to connect to.
   * @example const own = await redis.another() // null on ioredis-mock
   */
  async another(): Promise<RedisConnection | null> {
    return this.url === null ? null : RedisConnection.open('real', this.url);
  }

  /**
   * Closes the connection.
   * @example await redis.close()
   */
  async close(): Promise<void> {
    this.client.disconnect();
  }
}

/** Each named script's SHA1 digest, by which EVALSHA calls it. */
const SCRIPT_SHA1 = new Map([...redisScripts.values()].map((script) => [script, createHash('sha1').update(script.lua).digest('hex')]));

/** How a named script is sent: by its SHA1 (EVALSHA) or as its Lua text (EVAL). */
type ScriptForm = 'sha' | 'lua';

/** The client method and arguments of a command: `EVAL name …` calls the named script by `scripts`. */
function wire(cmd: RedisCommand, scripts: ScriptForm): { method: string; args: (string | number)[] } {
  const [name, ...args] = cmd;
  const method = String(name).toLowerCase();
  const script = method === 'eval' ? redisScripts.get(String(args[0])) : undefined;
  if (script === undefined) return { method, args };
  return scripts === 'sha' ? { method: 'evalsha', args: [SCRIPT_SHA1.get(script)!, ...args.slice(1)] } : { method, args: [script.lua, ...args.slice(1)] };
}

const unknownCommand = (cmd: RedisCommand): RedisReply => ({ error: `ERR unknown command '${String(cmd[0])}'` });

/** A reply in the model's shape (ioredis answers integers as numbers, bulk strings as strings). */
function normalise(reply: unknown): RedisReply {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'string' || typeof reply === 'number') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString();
  return { error: `unexpected reply ${JSON.stringify(reply)}` };
}

/** True for a failure of the connection rather than an error reply of the server. */
function isConnectionError(error: unknown): boolean {
  const name = (error as Error).name;
  return name === 'MaxRetriesPerRequestError' || /Connection is closed|Stream isn't writeable|ECONNRESET|ECONNREFUSED/.test((error as Error).message);
}
