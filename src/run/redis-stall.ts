/**
 * A planned stall of the Redis server: `CLIENT PAUSE ms WRITE`. While it lasts, the server holds every client's
 * write commands and scripts — and, since a connection's commands run in order, whatever that client sent after
 * a held one — while reads go on; then it runs what it held, in the order it came. Redis lifts a pause only at
 * its next cron tick, so a stall lasts up to 1/hz longer than asked (100 ms at the default hz 10: measured,
 * `CLIENT PAUSE 20` held a write 60-72 ms); so its end is measured, by a write sent on a connection of its own
 * once the pause is on, which comes back only when the pause is over. It stalls every client of the server,
 * other programs' too, so a run stalls only when asked to (`--redis-stalls`, default 0).
 *
 * Keys do not outlive their TTL meanwhile. Redis defers deleting expired keys during a pause (so that the data
 * set stays static), but a key past its TTL reads as absent: measured on Redis 7.0.15, during a WRITE pause, a
 * key 40 ms past its TTL answered GET nil, PTTL -2, EXISTS 0. So the model's expiry by TTL stays true; what the
 * judge needs is only that a held write ran after the stall (stalled-windows.ts).
 *
 * The embedded backend emulates it: while a stall lasts, a command to the stalled mock waits for its end if it
 * is a write or if another is already waiting, as on one connection. A write on a connection killed meanwhile
 * never runs (killed-connection.ts): Redis frees a killed client with the command it held, and the close comes
 * at once — measured on Redis 7.0.15, an INCR held by CLIENT PAUSE WRITE, its connection killed 0, 20 and 40 ms
 * later: "Connection is closed." within a few ms each time, and the key never changed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisCommand } from '../world/redis/types.ts';
import type { RedisConnection } from './redis-client.ts';

/** The commands of the model that a WRITE pause lets through (every script is held). */
export const READS: ReadonlySet<string> = new Set(['GET', 'PTTL', 'EXISTS']);

/**
 * The stalls of one run's Redis servers.
 * @example
 * const stalls = new RedisStall('embedded');
 * await stalls.begin(store, 100, ns.key('@stall')); // holds writes to `store` for 100 real ms
 * await stalls.wait(store, ['SET', 'k', 'v']); // resolves once the stall is over
 */
export class RedisStall {
  /** Embedded: the stalled mock, and the end of its stall. */
  private stalled: { readonly server: RedisConnection; readonly ends: Promise<void> } | null = null;
  /** Embedded: commands waiting for the end. */
  private holding = 0;

  constructor(private readonly backend: 'embedded' | 'real') {}

  /**
   * Stalls `server` for `realMs` real ms (at least 1); resolves once the stall is on, with the promise of its
   * end. On a real server: CLIENT PAUSE, then a DEL of `probeKey` (a write that makes no key) held until the end.
   * @example const { over } = await stalls.begin(store, scale.realMs(2000), ns.key('@stall')); await over;
   */
  async begin(server: RedisConnection, realMs: number, probeKey: string): Promise<{ readonly over: Promise<void> }> {
    const ms = Math.max(1, Math.round(realMs));
    if (this.backend === 'embedded') {
      const stalled = { server, ends: sleep(ms).then(() => { if (this.stalled === stalled) this.stalled = null; }) };
      this.stalled = stalled;
      return { over: stalled.ends };
    }
    const probe = (await server.another())!;
    try {
      await server.exec(['CLIENT', 'PAUSE', ms, 'WRITE']);
    } catch (error) {
      await probe.close();
      throw error;
    }
    const over = probe.exec(['DEL', probeKey]).finally(() => probe.close());
    return { over: over.then(() => undefined) };
  }

  /**
   * True when `server` is a stalled mock and `cmd` (on the wire) a write, which the stall holds even on a
   * connection with nothing else waiting; false on a real server, which holds commands itself.
   * @example stalls.holds(store, ['INCR', 'k']) // true while a stall of the mock `store` lasts
   */
  holds(server: RedisConnection, cmd: RedisCommand): boolean {
    return this.stalled?.server === server && !READS.has(String(cmd[0]).toUpperCase());
  }

  /**
   * What a command (on the wire) to `server` waits for before it runs: the stall's end, on a stalled mock, for a
   * write or for anything behind a held command; `null` when it goes at once (always on a real server, which
   * holds commands itself).
   * @example const held = stalls.wait(connection, wire); if (held !== null) await held;
   */
  wait(server: RedisConnection, cmd: RedisCommand): Promise<void> | null {
    const stalled = this.stalled;
    if (stalled === null || stalled.server !== server) return null;
    if (this.holding === 0 && !this.holds(server, cmd)) return null;
    this.holding++;
    return stalled.ends.then(() => { this.holding--; });
  }
}
