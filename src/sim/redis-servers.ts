/**
 * The Redis servers of a run: `redis`, the store (the only one for a single-instance lock), and Redlock's lock
 * instances `redis-1`, `redis-2`, …, each a pure model whose TTLs run on a clock of its own. A command goes to
 * the instance its first word addresses (`['@2', 'SET', …]`), or to the store.
 */
import { hashClock, readClock, trueTimeWhen, type ClockSpec } from './clock.ts';
import type { RunEvent } from './events.ts';
import type { Hash64 } from './hash64.ts';
import { RedisModel } from '../world/redis/model.ts';
import type { RedisOutcome } from '../world/redis/types.ts';
import type { Command } from '../../models/protocol.ts';

/** A Redis command split from its instance address: `['@2', 'GET', 'k']` is `GET k` on instance 2. */
interface Routed {
  readonly instance: number;
  readonly command: Command;
}

/** Machines send the same few command arrays over and over: split each once. */
const routes = new WeakMap<Command, Routed>();

function routed(cmd: Command): Routed {
  let route = routes.get(cmd);
  if (route === undefined) {
    const head = cmd[0];
    route = typeof head === 'string' && head.startsWith('@') ? { instance: Number(head.slice(1)), command: cmd.slice(1) as Command } : { instance: 0, command: cmd };
    routes.set(cmd, route);
  }
  return route;
}

/**
 * The server a command addresses: `n` for `['@n', …]`, 0 (the store) otherwise.
 * @example addressedServer(['@2', 'GET', 'k']) // 2
 */
export function addressedServer(cmd: Command): number {
  return routed(cmd).instance;
}

/** Where an event on server `i` shows: nothing for the store, `{ server: i }` for a lock instance. */
const at = (i: number) => (i === 0 ? {} : { server: i });

/** A key as a server holds it: its value and the TTL left, ms on the server's clock (`null`: none). */
export interface KeyReading {
  /** The key. */
  readonly key: string;
  /** Its value. */
  readonly value: string;
  /** Ms its TTL has left, `null` without one. */
  readonly ttlMs: number | null;
}

/** A run's Redis servers and their clocks. */
export class RedisServers {
  /** The clocks, shared with copies: replaced, never changed, when one changes (see `setClock`, `jump`). */
  private constructor(private readonly models: readonly RedisModel[], private clocks: readonly ClockSpec[]) {}

  /**
   * Empty servers on the given clocks.
   * @example RedisServers.on([perfectClock])
   */
  static on(clocks: readonly ClockSpec[]): RedisServers {
    return new RedisServers(clocks.map(() => new RedisModel()), [...clocks]);
  }

  /** An independent copy. */
  clone(): RedisServers {
    const models: RedisModel[] = [];
    for (const model of this.models) models.push(model.clone());
    return new RedisServers(models, this.clocks);
  }

  /** How many servers there are. */
  get count(): number {
    return this.models.length;
  }

  /**
   * Every server's live keys at true time `now`, servers in order, keys sorted: each value, and the ms its TTL
   * has left on that server's clock (`null`: no TTL). For people watching a run (the play page).
   * @example servers.contents(0) // [[{ key: 'stock', value: '1', ttlMs: null }]]
   */
  contents(now: number): KeyReading[][] {
    return this.models.map((model, i) => {
      const reading = this.reading(i, now);
      return model.keys(reading).map((key) => {
        const at = model.expireAt(key);
        return { key, value: model.get(key, reading)!, ttlMs: at === null ? null : at - reading };
      });
    });
  }

  /** Server `i`'s clock reading at true time `now`. */
  reading(i: number, now: number): number {
    return readClock(this.clocks[i], now);
  }

  /** Runs a command at true time `now` on the instance it addresses. */
  exec(cmd: Command, now: number): RedisOutcome {
    const { instance, command } = routed(cmd);
    const model = this.models[instance];
    if (model === undefined) return { reply: { error: `ERR no Redis instance @${instance}` }, changes: [] };
    return model.exec(command, this.reading(instance, now));
  }

  /** A key's value on the store at true time `now`. */
  get(key: string, now: number): string | null {
    return this.models[0].get(key, this.reading(0, now));
  }

  /** True times after `now` at which a key expires on some server, ascending (duplicates possible). */
  expiryInstants(now: number): number[] {
    return this.models.flatMap((model, i) => model.expiriesBetween(this.reading(i, now), Number.MAX_SAFE_INTEGER)
      .map((e) => trueTimeWhen(this.clocks[i], e.at + 1, now))).sort((a, b) => a - b);
  }

  /** The earliest true time after `now` at which a key expires, or `null`. */
  nextExpiry(now: number): number | null {
    let next: number | null = null;
    for (let i = 0; i < this.models.length; i++) {
      const expiry = this.models[i].nextExpiry(this.reading(i, now));
      if (expiry !== null) next = Math.min(next ?? Number.POSITIVE_INFINITY, trueTimeWhen(this.clocks[i], expiry + 1, now));
    }
    return next;
  }

  /** For the record: keys expiring and server clocks jumping as true time passes from `now` to `t`. */
  passing(now: number, t: number): RunEvent[] {
    const expiries = this.models.flatMap((model, i) => model.expiriesBetween(this.reading(i, now), this.reading(i, t)).map((e): RunEvent => {
      const when = trueTimeWhen(this.clocks[i], e.at + 1, now);
      return { kind: 'expire', t: when, clock: this.reading(i, when), key: e.key, value: e.value, ...at(i) };
    }));
    const jumps = this.clocks.flatMap((clock, i) => clock.jumps.filter((j) => j.at > now && j.at <= t)
      .map((j): RunEvent => ({ kind: 'jump', t: j.at, clock: readClock(clock, j.at), by: j.by, ...at(i) })));
    return [...expiries, ...jumps];
  }

  /** Server `i` runs on `clock` from now on (its clock chosen at the start of a run). */
  setClock(i: number, clock: ClockSpec): void {
    this.clocks = this.clocks.with(i, clock);
  }

  /** Server `i`'s clock steps by `by` at true time `now`; returns the jump and the expiries it caused, as events. */
  jump(i: number, now: number, by: number): RunEvent[] {
    const before = this.reading(i, now);
    this.clocks = this.clocks.with(i, { ...this.clocks[i], jumps: [...this.clocks[i].jumps, { at: now, by }] });
    const clock = this.reading(i, now);
    // Keys whose deadline the reading just passed are gone at once.
    const expired = this.models[i].expiriesBetween(before, clock).map((e): RunEvent => ({ kind: 'expire', t: now, clock, key: e.key, value: e.value, ...at(i) }));
    return [{ kind: 'jump', t: now, clock, by, ...at(i) }, ...expired];
  }

  /**
   * Feeds every server's keys at true time `now`, and every server's clock, into a state's fingerprint (one
   * that holds `now` too).
   * @example servers.hashInto(new Hash64().begin(), 0)
   */
  hashInto(into: Hash64, now: number): void {
    into.word(this.models.length);
    for (let i = 0; i < this.models.length; i++) this.models[i].hashInto(into, this.reading(i, now));
    for (const clock of this.clocks) hashClock(into, clock);
  }

  /**
   * True when `other` runs on the same clocks and holds the same live keys at true time `now`: from `now` on
   * the two answer every command alike (as long as no clock steps back, which could bring expired keys back).
   * @example servers.sameAs(servers.clone(), 0) // true
   */
  sameAs(other: RedisServers, now: number): boolean {
    if (other.models.length !== this.models.length) return false;
    for (let i = 0; i < this.models.length; i++) {
      if (!sameClock(this.clocks[i], other.clocks[i]) || !this.models[i].sameLiveAs(other.models[i], this.reading(i, now))) return false;
    }
    return true;
  }
}

/** Two clocks that read alike at every instant: the same offset, drift and jumps. */
function sameClock(a: ClockSpec, b: ClockSpec): boolean {
  if (a === b) return true;
  if (a.offset !== b.offset || a.driftPpm !== b.driftPpm || a.jumps.length !== b.jumps.length) return false;
  for (let j = 0; j < a.jumps.length; j++) if (a.jumps[j].at !== b.jumps[j].at || a.jumps[j].by !== b.jumps[j].by) return false;
  return true;
}

/**
 * How a search fingerprints a run's Redis servers (a `PartHasher`): their keys and clocks at `now`, holding
 * until a key expires (the state's fingerprint holds the instant too, so expiry instants stand for TTLs left).
 * @example part.hashInto(state, now, hashServers)
 */
export function hashServers(redis: RedisServers, now: number, into: Hash64): number {
  redis.hashInto(into, now);
  return redis.nextExpiry(now) ?? Number.POSITIVE_INFINITY;
}
