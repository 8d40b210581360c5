/**
 * The pure, synchronous Redis model the checker runs commands against. It holds string keys with TTLs on the
 * server's clock; every method that reads takes that clock's `now` (integer ms), so the model itself never
 * looks at a clock and two runs that feed it the same commands at the same instants agree byte for byte.
 */
import { asciiUpper, parseRedisInteger } from './args.ts';
import { redisCommands, type Runner } from './commands.ts';
import { type Entry, KeySpace, isLive } from './keyspace.ts';
import { NOT_AN_INTEGER, unchanged, wrongArity } from './replies.ts';
import { type RedisScript, redisScripts } from './scripts/index.ts';
import { runScript } from './scripts/redis-call.ts';
import type { RedisCommand, RedisOutcome, RedisReply } from './types.ts';
import type { Hash64 } from '../../sim/hash64.ts';

/** A key whose TTL ran out, as {@link RedisModel.expiriesBetween} lists it. */
export interface Expiry {
  /** The key. */
  readonly key: string;
  /** The value it held when it expired. */
  readonly value: string;
  /** Its expiry instant on the server clock: the last millisecond it is live (it is gone from `at + 1`). */
  readonly at: number;
}

/** A command after parsing: a plain command's runner, a script call, or an answer known without running. */
type Compiled =
  | { readonly kind: 'run'; readonly run: Runner }
  | { readonly kind: 'eval'; readonly script: string; readonly keys: readonly string[]; readonly args: readonly string[] }
  | { readonly kind: 'answer'; readonly outcome: RedisOutcome };

/** Commands are immutable and a checker sends the same few arrays millions of times: compile each once. */
const compiledCommands = new WeakMap<RedisCommand, Compiled>();

function compiled(cmd: RedisCommand): Compiled {
  let entry = compiledCommands.get(cmd);
  if (entry === undefined) {
    entry = compile(cmd);
    compiledCommands.set(cmd, entry);
  }
  return entry;
}

/** A node of the tree of commands compiled by their words: the command ending here, and the longer ones by next word. */
interface WordNode {
  compiled?: Compiled;
  readonly next: Map<string, WordNode>;
}

/**
 * Commands a script builds afresh at each call (`redis.call`), compiled by their words: a script sends the
 * same few over and over. Bounded, since their arguments (tokens, values) may take many values.
 */
let byWords: WordNode = { next: new Map() };
let wordNodes = 0;
const MAX_WORD_NODES = 20_000;

function compiledByWords(cmd: RedisCommand): Compiled {
  if (wordNodes >= MAX_WORD_NODES) [byWords, wordNodes] = [{ next: new Map() }, 0];
  let node = byWords;
  for (const word of cmd) {
    const key = String(word);
    let child = node.next.get(key);
    if (child === undefined) {
      node.next.set(key, (child = { next: new Map() }));
      wordNodes++;
    }
    node = child;
  }
  return (node.compiled ??= compile(cmd));
}

function compile(cmd: RedisCommand): Compiled {
  const [head = '', ...args] = cmd.map(String);
  const name = asciiUpper(head);
  const answer = (reply: RedisReply): Compiled => ({ kind: 'answer', outcome: unchanged(reply) });
  if (name === 'EVAL') {
    if (cmd.length < 3) return answer(wrongArity(name));
    const [script, numKeysText, ...rest] = args;
    const numKeys = parseRedisInteger(numKeysText);
    if (numKeys === null) return answer(NOT_AN_INTEGER);
    if (numKeys > BigInt(rest.length)) return answer({ error: "ERR Number of keys can't be greater than number of args" });
    if (numKeys < 0n) return answer({ error: "ERR Number of keys can't be negative" });
    return { kind: 'eval', script, keys: rest.slice(0, Number(numKeys)), args: rest.slice(Number(numKeys)) };
  }
  const command = redisCommands.get(name);
  if (command === undefined) return answer({ error: `ERR unknown command '${head}'` });
  if (!fitsArity(command.arity, cmd.length)) return answer(wrongArity(name));
  return { kind: 'run', run: command.compile(args) };
}

/** True when a command of `argc` words (name included) fits Redis arity `arity` (`n` exact, `-n` at least n). */
function fitsArity(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}

/**
 * An in-memory Redis holding strings with TTLs, answering commands as Redis 7 does.
 * @example
 * const redis = new RedisModel();
 * redis.exec(['SET', 'lock', 'a', 'NX', 'PX', 5000], 0); // { reply: 'OK', changes: [{ key: 'lock', from: null, to: 'a' }] }
 * redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'a'], 10).reply; // 1
 */
export class RedisModel {
  #space = new KeySpace();
  readonly #scripts: ReadonlyMap<string, RedisScript>;

  /**
   * Creates an empty model whose EVAL runs the scripts of `scripts` by name.
   * @example new RedisModel() // the built-in scripts of `redisScripts`
   */
  constructor(scripts: ReadonlyMap<string, RedisScript> = redisScripts) {
    this.#scripts = scripts;
  }

  /**
   * Executes one command atomically at server time `now`. Arguments may be numbers (sent as `String(n)`).
   * Errors are replies, never exceptions. `changes` lists logical value changes only: a key that had already
   * expired is already gone, so the lazy removal of its entry is not a change.
   * @example redis.exec(['INCR', 'fence'], 0) // { reply: 1, changes: [{ key: 'fence', from: null, to: '1' }] }
   */
  exec(cmd: RedisCommand, now: number): RedisOutcome {
    return this.#run(compiled(cmd), now);
  }

  /**
   * `exec` for a command array built on the fly and never sent again (a script twin's `redis.call`): compiled
   * by its text, so short-lived arrays do not fill the compile cache.
   * @example redis.execOnce(['GET', 'stock'], 0)
   */
  execOnce(cmd: RedisCommand, now: number): RedisOutcome {
    return this.#run(compiledByWords(cmd), now);
  }

  #run(command: Compiled, now: number): RedisOutcome {
    switch (command.kind) {
      case 'run': return command.run(this.#space, now);
      case 'eval': return this.#eval(command.script, command.keys, command.args, now);
      case 'answer': return command.outcome;
    }
  }

  /** `EVAL name numkeys key... arg...`, where `name` names a registered script instead of carrying Lua text. */
  #eval(name: string, keys: readonly string[], args: readonly string[], now: number): RedisOutcome {
    const script = this.#scripts.get(name);
    if (script === undefined) return unchanged({ error: `ERR unknown script '${name}'` });
    if (keys.length !== script.numKeys || args.length !== script.numArgs) {
      return unchanged({ error: `ERR script '${name}' takes ${script.numKeys} keys and ${script.numArgs} arguments` });
    }
    return runScript(this, now, script, keys, args);
  }

  /**
   * The value of `key` at `now`, or `null` if absent or expired; no side effects.
   * @example redis.get('lock', 5001) // null after `SET lock a PX 5000` at 0
   */
  get(key: string, now: number): string | null {
    return this.#space.live(key, now)?.value ?? null;
  }

  /**
   * The stored expiry instant of `key`, `null` when it has no TTL or no entry. An entry that has already
   * expired but was not yet overwritten still reports its (past) instant.
   * @example redis.expireAt('lock') // 5000 after `SET lock a PX 5000` at 0
   */
  expireAt(key: string): number | null {
    return this.#space.stored(key)?.expireAt ?? null;
  }

  /**
   * The live keys at `now`, sorted.
   * @example redis.keys(0) // ['lock', 'stock']
   */
  keys(now: number): string[] {
    return this.#liveEntries(now).map(([key]) => key);
  }

  /** The live entries at `now`, sorted by key. */
  #liveEntries(now: number): [string, Entry][] {
    return this.#space.entries().filter(([, entry]) => isLive(entry, now));
  }

  /**
   * The keys that expire between two instants: live at `from`, gone at `to`, i.e. `from <= at < to` (a key is
   * still live at its own `at`, so `to` itself is excluded). Consecutive windows `[a, b)`, `[b, c)` report each
   * expiry once. Sorted by `at`, then key. Ask before executing the commands at `to`: a write replaces the entry.
   * @example redis.expiriesBetween(4000, 6000) // [{ key: 'lock', value: 'a', at: 5000 }]
   */
  expiriesBetween(from: number, to: number): Expiry[] {
    const expiries: Expiry[] = [];
    for (const [key, { value, expireAt: at }] of this.#space.entries()) {
      if (at !== null && from <= at && at < to) expiries.push({ key, value, at });
    }
    // Entries come sorted by key and the sort is stable, so equal instants stay in key order.
    return expiries.sort((a, b) => a.at - b.at);
  }

  /**
   * The expiry instant (server clock) of the key that expires first among those live at `now`, or `null`;
   * that key is gone from `at + 1` on.
   * @example redis.nextExpiry(0) // 5000 after SET lock a PX 5000 at 0
   */
  nextExpiry(now: number): number | null {
    return this.#space.nextExpiry(now);
  }

  /**
   * A canonical text of the live state at `now`: keys in order with value and remaining TTL (-1 for none).
   * Equal fingerprints mean the model answers every future command the same way, so it serves as a state hash.
   * @example redis.fingerprint(1000) // '[["lock","a",4000]]'
   */
  fingerprint(now: number): string {
    return JSON.stringify(
      this.#liveEntries(now).map(([key, { value, expireAt }]) => [key, value, expireAt === null ? -1 : expireAt - now]),
    );
  }

  /**
   * Feeds the live state at `now` into a search state's fingerprint: what `fingerprint` tells, for a state that
   * holds the instant too (see `KeySpace.hashInto`). The checker's own, not part of the package's API.
   * @example redis.hashInto(new Hash64().begin(), 1000)
   * @internal
   */
  hashInto(into: Hash64, now: number): void {
    this.#space.hashInto(into, now);
  }

  /**
   * True when `other` holds the same live keys at `now`, with the same values and expiry instants (see
   * `KeySpace.sameLiveAs`). The checker's own, not part of the package's API.
   * @example redis.sameLiveAs(redis.clone(), 0) // true
   * @internal
   */
  sameLiveAs(other: RedisModel, now: number): boolean {
    return this.#space.sameLiveAs(other.#space, now);
  }

  /**
   * An independent copy sharing the script registry.
   * @example const branch = redis.clone()
   */
  clone(): RedisModel {
    const copy = new RedisModel(this.#scripts);
    copy.#space = this.#space.clone();
    return copy;
  }
}
