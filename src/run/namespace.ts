/**
 * The namespace of one run: a unique prefix for every Redis key and broker queue it touches, so runs never see
 * each other's data (nor anybody else's on a shared server) and everything they made can be found and deleted
 * afterwards. The machines speak of `stock`, `lock:stock`, `payments`; the wire carries
 * `interleave-run:<pid>-<hex>:stock`. Rewriting needs to know which arguments are keys, so only the commands
 * the models support are accepted.
 */
import { randomBytes } from 'node:crypto';
import { UsageError } from '../check/prepare.ts';
import type { RedisCommand } from '../world/redis/types.ts';

/** Every run's prefix starts with this, so leftovers of any run can be found with one `SCAN MATCH`. */
export const RUN_PREFIX = 'interleave-run:';

/** Commands whose only key is their first argument. */
const FIRST_ARG_KEY = new Set(['SET', 'GET', 'GETSET', 'INCR', 'DECR', 'PTTL', 'PEXPIRE']);
/** Commands whose every argument is a key. */
const ALL_ARGS_KEYS = new Set(['DEL', 'EXISTS']);

/**
 * A key's name after the prefix: `key` on the store, `@n:key` on instance `n` (one server may host several
 * instances' key spaces, or each instance may have a server of its own: the name is the same either way).
 * @example serverKey('lock:stock', 2) // '@2:lock:stock'
 */
export function serverKey(key: string, instance: number): string {
  return instance === 0 ? key : `@${instance}:${key}`;
}

/**
 * The instance and key a name after the prefix stands for ({@link serverKey}'s inverse), or `null` for the
 * runner's own bookkeeping keys (`@serial`).
 * @example parseServerKey('@2:lock:stock') // { instance: 2, key: 'lock:stock' }
 */
export function parseServerKey(name: string): { instance: number; key: string } | null {
  if (!name.startsWith('@')) return { instance: 0, key: name };
  const match = /^@(\d+):/.exec(name);
  return match === null ? null : { instance: Number(match[1]), key: name.slice(match[0].length) };
}

/**
 * One run's namespace.
 * @example
 * const ns = new Namespace();
 * ns.redisCommand(['SET', 'lock', 'a', 'NX']); // ['SET', 'interleave-run:4242-9f3a01bc:lock', 'a', 'NX']
 * ns.queue('payments');                          // 'interleave-run:4242-9f3a01bc:payments'
 */
export class Namespace {
  /** The prefix of every key and queue of this run. */
  readonly prefix: string;

  /** A fresh namespace: the process id and 8 random hex digits (`crypto`, not a seeded PRNG: it must be unique, not repeatable). */
  constructor(prefix = `${RUN_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}:`) {
    this.prefix = prefix;
  }

  /**
   * The wire name of Redis key `key` on instance `instance` (0 is the store; Redlock's `@n` instances get `@n:`
   * after the prefix, whether they share a server or each has its own: redis-fleet.ts).
   * @example ns.key('stock') // 'interleave-run:4242-9f3a01bc:stock'
   */
  key(key: string, instance = 0): string {
    return this.prefix + serverKey(key, instance);
  }

  /**
   * The wire name of broker queue `queue`.
   * @example ns.queue('payments')
   */
  queue(queue: string): string {
    return `${this.prefix}${queue}`;
  }

  /**
   * The `SCAN MATCH` pattern of every key of this run. The prefix holds no glob characters (`[`, `*`, `?`).
   * @example await redis.scan(0, 'MATCH', ns.keyPattern)
   */
  get keyPattern(): string {
    return `${this.prefix}*`;
  }

  /**
   * A model Redis command with its keys renamed into the namespace and its instance address (`@n`) dropped.
   * @example ns.redisCommand(['EVAL', 'compare-and-delete', 1, 'lock', 'A-1f2e']) // keys: only 'lock' is renamed
   */
  redisCommand(cmd: RedisCommand): RedisCommand {
    const head = String(cmd[0]);
    const instance = head.startsWith('@') ? Number(head.slice(1)) : 0;
    // One pass, no closures: this runs for every command a run sends.
    const at = instance === 0 ? 0 : 1; // where the command's name is
    const name = cmd[at];
    const upper = String(name).toUpperCase();
    // The keys are cmd[from] … cmd[to - 1].
    let from = at + 1;
    let to: number;
    if (FIRST_ARG_KEY.has(upper) && cmd.length > from) to = from + 1;
    else if (ALL_ARGS_KEYS.has(upper)) to = cmd.length;
    else if (upper === 'EVAL') {
      const numKeys = Number(cmd[at + 2]);
      if (!Number.isInteger(numKeys) || numKeys < 0 || numKeys > cmd.length - at - 3) throw new UsageError(`EVAL with a bad key count: ${cmd.join(' ')}`);
      from = at + 3;
      to = from + numKeys;
    } else throw new UsageError(`the runner does not know which arguments of ${String(name)} are keys, so it cannot run it in a namespace`);
    const wire: (string | number)[] = [name];
    for (let i = at + 1; i < cmd.length; i++) wire.push(i >= from && i < to ? this.key(String(cmd[i]), instance) : cmd[i]);
    if (upper === 'EVAL') wire[2] = Number(cmd[at + 2]);
    return wire;
  }
}
