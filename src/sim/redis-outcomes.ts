/**
 * Redis commands' outcomes, shared by the states of a search. A search runs the same few commands in the same
 * few Redis states over and over (the states of the whole run differ mostly in the processes and the time), so:
 * - the servers a command leaves are looked up among those already met, and an equal one (same clocks, same
 *   live keys, values and expiry instants) is used instead: one copy of each Redis state, however many search
 *   states hold it;
 * - each such copy remembers what each command did when run on it, at the last few instants it ran, so the next
 *   state that runs that command there, then, takes the outcome without running it.
 *
 * Exact: servers equal that way answer every command alike from then on — as long as no clock steps back, which
 * could bring back keys that expired (so runs with clock jumps share nothing).
 */
import { Hash64 } from './hash64.ts';
import { Part } from './part.ts';
import { hashServers, type RedisServers } from './redis-servers.ts';
import type { RunSetup } from './run-setup.ts';
import type { RedisOutcome } from '../world/redis/types.ts';
import type { Command } from '../../models/protocol.ts';

/** A command run at `now`: its reply and changes, and the servers it left. */
export interface SharedOutcome extends RedisOutcome {
  /** The instant it ran at. */
  readonly now: number;
  /** The servers it left: shared, read-only. */
  readonly after: Part<RedisServers>;
}

/** Past this many Redis states met, the search starts meeting them afresh (it stays correct, only shares less). */
const MAX_VERSIONS = 100_000;
/** How many instants' outcomes of one command a version remembers (a search in ticks meets a few instants). */
const INSTANTS = 16;

const key = new Hash64();

/** What each command did on a version of the servers (its latest runs, at different instants), made once per version. */
const outcomesOn = (): Map<Command, SharedOutcome[]> => new Map();

/**
 * The Redis states one search has met, and what commands did on them (see the module's comment).
 * @example const outcome = outcomes.exec(redis, ['INCR', 'fence'], now); redis = outcome.after
 */
export class RedisOutcomes {
  /** The servers met, by the low word of their fingerprint at the instant they were met. */
  #versions = new Map<number, Part<RedisServers>[]>();
  #size = 0;

  /**
   * Runs `command` at `now` on the servers `redis` holds — or takes its outcome, if it ran there then already.
   * The servers it left are shared: to change them, take `forWrite()`.
   * @example const { reply, after } = outcomes.exec(redis, ['GET', 'stock'], 0)
   */
  exec(redis: Part<RedisServers>, command: Command, now: number): SharedOutcome {
    const done = redis.derived(outcomesOn, null);
    let runs = done.get(command);
    if (runs === undefined) done.set(command, (runs = []));
    for (const known of runs) if (known.now === now) return known;
    const copy = new Part(redis.value.clone());
    const { reply, changes } = copy.value.exec(command, now);
    const outcome: SharedOutcome = { now, after: this.#met(copy, now), reply, changes };
    if (runs.length === INSTANTS) runs.shift();
    runs.push(outcome);
    return outcome;
  }

  /** The servers met before that equal `servers` at `now`, or — now met — `servers` itself, shared from now on. */
  #met(servers: Part<RedisServers>, now: number): Part<RedisServers> {
    key.begin();
    servers.hashInto(key, now, hashServers);
    const low = key.low | 0;
    const filed = this.#versions.get(low);
    if (filed !== undefined) for (const version of filed) if (version.value.sameAs(servers.value, now)) return version;
    if (++this.#size > MAX_VERSIONS) [this.#versions, this.#size] = [new Map(), 1];
    const list = this.#versions.get(low);
    if (list === undefined) this.#versions.set(low, [servers]);
    else list.push(servers);
    servers.shared = true;
    return servers;
  }
}

const searches = new WeakMap<RunSetup, RedisOutcomes | null>();

/**
 * The outcomes shared by searches of `run` (one memory per run setup), or `null` when its clocks may step back
 * (clock jumps), where sharing would not be exact.
 * @example simulation.outcomes = redisOutcomesOf(setup)
 */
export function redisOutcomesOf(run: RunSetup): RedisOutcomes | null {
  let outcomes = searches.get(run);
  if (outcomes === undefined) searches.set(run, (outcomes = run.faults.jumps > 0 ? null : new RedisOutcomes()));
  return outcomes;
}
