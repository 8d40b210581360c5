/**
 * A run's Redis servers as connections. A scenario speaks of `redis` (the store) and, for Redlock, of lock
 * instances `redis-1` … `redis-5`, which its machines address as `['@n', …]`. On the real backend `--redis`
 * takes one URL — every server a key space (`@n:` after the run's prefix) on that one Redis — or a
 * comma-separated list: one URL per lock instance (the store beside `redis-1`, on the first), or one per server
 * (the store first). The embedded backend gives every server an ioredis-mock of its own (its own keys; the
 * clock is this process's, as servers on one machine share its clock). Each host — a connection and the
 * servers it serves — executes its commands in one serial order, which the judge replays host by host.
 */
import type { Command } from '../../models/protocol.ts';
import { UsageError } from '../check/prepare.ts';
import { serverName } from '../report/timeline.ts';
import { addressedServer } from '../sim/redis-servers.ts';
import { parseServerKey, type Namespace } from './namespace.ts';
import { RedisConnection } from './redis-client.ts';

/** Where Redis is when neither `--redis` nor `REDIS_URL` says. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** One connection and the scenario's servers it serves. */
export interface RedisHost {
  /** The connection. */
  readonly connection: RedisConnection;
  /** The servers it serves, by index (0 `redis`, n `redis-n`), ascending. */
  readonly servers: readonly number[];
  /** Its first server's name: the name of its serial order (child/history-order.ts). */
  readonly name: string;
}

/**
 * The URLs of `given` (a comma-separated list; `undefined`: the default), checked against the scenario's
 * `servers` Redis servers: 1, one per lock instance (`servers` − 1), or one per server. `option` names where
 * the list came from, for the error.
 * @example redisUrls('redis://a:1,redis://b:1,redis://c:1,redis://d:1,redis://e:1', 6, '--redis') // five URLs
 */
export function redisUrls(given: string | undefined, servers: number, option: string): string[] {
  const urls = (given ?? DEFAULT_REDIS_URL).split(',').map((url) => url.trim());
  if (urls.some((url) => url === '')) throw new UsageError(`${option} has an empty URL in its list '${given}'`);
  if (urls.length === 1 || urls.length === servers || (servers > 1 && urls.length === servers - 1)) return urls;
  const names = Array.from({ length: servers }, (_, i) => serverName(i)).join(', ');
  const counts = servers === 1 ? '1' : `1 (every server a key space on it), ${servers - 1} (one per lock instance, redis beside redis-1) or ${servers} (one per server)`;
  throw new UsageError(`${option} has ${urls.length} URLs for ${servers === 1 ? 'one Redis server (redis)' : `${servers} Redis servers (${names})`}: give ${counts}`);
}

/**
 * Which of `urls` URLs serves each of `servers` servers (URL counts as {@link redisUrls} allows).
 * @example urlOfServer(5, 6) // [0, 0, 1, 2, 3, 4]: redis beside redis-1
 */
export function urlOfServer(urls: number, servers: number): number[] {
  return Array.from({ length: servers }, (_, i) => (urls === 1 ? 0 : urls === servers ? i : Math.max(0, i - 1)));
}

/**
 * A run's Redis connections, routing each command to the server it addresses.
 * @example
 * const fleet = await RedisFleet.open('real', 'redis://127.0.0.1:6379', 6);
 * await fleet.host(['@2', 'GET', 'k']).connection.exec(['GET', ns.key('k', 2)]);
 * await fleet.close();
 */
export class RedisFleet {
  private constructor(
    /** The hosts, in the order of their first server. */
    readonly hosts: readonly RedisHost[],
    /** For each of the scenario's servers, the index of its host. */
    readonly hostOf: readonly number[],
  ) {}

  /**
   * Opens the connections for a scenario with `servers` Redis servers: on the real backend one per URL of
   * `given` ({@link redisUrls}; connected at once, failing within 2 s with one line naming the first host:port
   * that failed), on the embedded one an ioredis-mock per server. `option` names where `given` came from.
   * @example await RedisFleet.open('embedded', undefined, 6) // six mocks, each with keys of its own
   */
  static async open(backend: 'embedded' | 'real', given: string | undefined, servers: number, option = '--redis'): Promise<RedisFleet> {
    const urls = backend === 'real' ? redisUrls(given, servers, option) : null;
    const opening = urls === null
      ? Array.from({ length: servers }, (_, i) => RedisConnection.mock(i === 0 ? undefined : `interleave-${serverName(i)}`))
      : urls.map((url) => RedisConnection.open('real', url));
    const opened = await Promise.allSettled(opening);
    const connections = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failure = opened.find((o) => o.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(connections.map((c) => c.close()));
      throw failure.reason;
    }
    const hostOf = urlOfServer(connections.length, servers);
    const hosts = connections.map((connection, h) => {
      const served = hostOf.flatMap((host, server) => (host === h ? [server] : []));
      return { connection, servers: served, name: serverName(served[0]) };
    });
    return new RedisFleet(hosts, hostOf);
  }

  /**
   * The host of the server `cmd` addresses (a model command: `['@n', …]` or the store's); an address of no
   * server goes to the store's host, whose model answers it with an error.
   * @example fleet.host(['@3', 'SET', 'lock:stock', 'A-1', 'NX', 'PX', 1000]).connection
   */
  host(cmd: Command): RedisHost {
    if (this.hosts.length === 1) return this.hosts[0];
    return this.hosts[this.hostOf[addressedServer(cmd)] ?? 0];
  }

  /**
   * Where the servers are, for the report: `Redis at host:port` (or `ioredis-mock`) when one host serves them
   * all, else each host with the servers it serves.
   * @example fleet.label // 'Redis at 127.0.0.1:7001 (redis, redis-1), Redis at 127.0.0.1:7002 (redis-2), …'
   */
  get label(): string {
    if (this.hosts.length === 1) return this.hosts[0].connection.label;
    const names = (host: RedisHost) => host.servers.map(serverName).join(', ');
    if (this.hosts.every((host) => host.connection.label === 'ioredis-mock')) return `an ioredis-mock per server (${this.hosts.map(names).join(', ')})`;
    return this.hosts.map((host) => `${host.connection.label} (${names(host)})`).join(', ');
  }

  /**
   * Each server, by its name, and where it ran.
   * @example fleet.labels() // { redis: 'Redis at 127.0.0.1:6379', 'redis-1': 'Redis at 127.0.0.1:6379', … }
   */
  labels(): Record<string, string> {
    return Object.fromEntries(this.hostOf.map((host, server) => [serverName(server), this.hosts[host].connection.label]));
  }

  /**
   * Every key matching `pattern` on any host (SCAN, never KEYS), sorted.
   * @example await fleet.keys('interleave-run:*') // [] once every run has cleaned up
   */
  async keys(pattern: string): Promise<string[]> {
    const found = await Promise.all(this.hosts.map((host) => host.connection.keys(pattern)));
    return [...new Set(found.flat())].sort();
  }

  /**
   * Deletes every key matching `pattern` on every host, each tried even when another fails; never
   * FLUSHALL/FLUSHDB.
   * @example await fleet.deleteMatching(ns.keyPattern)
   */
  async deleteMatching(pattern: string): Promise<void> {
    const deleted = await Promise.allSettled(this.hosts.map((host) => host.connection.deleteMatching(pattern)));
    const failure = deleted.find((d) => d.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  }

  /**
   * Every server's keys without a TTL under `namespace`, by their names after its prefix (`stock` on the
   * store, `@n:key` on instance n); not the runner's bookkeeping keys.
   * @example await fleet.persistentKeys(ns) // Map { 'sold' => '1', 'stock' => '0' }
   */
  async persistentKeys(namespace: Namespace): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    for (const { connection } of this.hosts) {
      for (const key of await connection.keys(namespace.keyPattern)) {
        const name = key.slice(namespace.prefix.length);
        if (parseServerKey(name) === null) continue;
        const value = await connection.persistentValue(key);
        if (value !== null) values.set(name, value);
      }
    }
    return values;
  }

  /**
   * Closes every connection.
   * @example await fleet.close()
   */
  async close(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.connection.close()));
  }
}
