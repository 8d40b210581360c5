/**
 * Running a scenario faster than life: with time scale S, one real millisecond stands for S milliseconds of the
 * machines' time. Every duration a machine speaks of is divided by S on the wire (SET's EX/PX, PEXPIRE, the
 * TTL argument of compare-and-extend, SLEEP, a pause, a restart delay) and every duration a server answers is
 * multiplied back (PTTL); clock readings and history times are real elapsed time × S. So a 1,000 ms lock
 * with S = 20 lives 50 real ms, and 200 iterations of a lock scenario take seconds instead of minutes — while
 * the machines, the timelines and the properties all speak the scenario's own milliseconds.
 * The price is resolution: Redis counts whole real milliseconds, i.e. steps of S model ms.
 */
import { UsageError } from '../check/prepare.ts';
import type { RedisCommand } from '../world/redis/types.ts';

/** The ARGV positions (0-based) that are TTLs in ms, per named script; the other scripts take no duration. */
const SCRIPT_DURATION_ARGS: Readonly<Record<string, readonly number[]>> = { 'compare-and-extend': [1] };

/**
 * A time scale.
 * @example
 * const scale = new TimeScale(20);
 * scale.redisCommand(['SET', 'lock', 'a', 'NX', 'EX', 1]); // ['SET', 'lock', 'a', 'NX', 'PX', 50]
 * scale.realMs(2000); // 100
 */
export class TimeScale {
  /** Model ms per real ms (1: real time). */
  readonly factor: number;

  constructor(factor = 1) {
    if (!Number.isInteger(factor) || factor < 1 || factor > 1000) throw new UsageError(`--time-scale must be an integer from 1 to 1000, got ${factor}`);
    this.factor = factor;
  }

  /**
   * Real ms for a duration of `modelMs`.
   * @example new TimeScale(10).realMs(1000) // 100
   */
  realMs(modelMs: number): number {
    return modelMs / this.factor;
  }

  /**
   * Model ms for a real duration of `realMs`.
   * @example new TimeScale(10).modelMs(5) // 50
   */
  modelMs(realMs: number): number {
    return realMs * this.factor;
  }

  /** A TTL for the wire: at least 1 ms (0 would be an error the machine never asked for). */
  private wireTtl(modelMs: number): number {
    return Math.max(1, Math.round(modelMs / this.factor));
  }

  /**
   * A Redis command (without instance address) with its durations in real ms; EX becomes PX, since a scaled
   * second is rarely a whole second.
   * @example new TimeScale(10).redisCommand(['PEXPIRE', 'lock', 500]) // ['PEXPIRE', 'lock', 50]
   */
  redisCommand(cmd: RedisCommand): RedisCommand {
    if (this.factor === 1) return cmd;
    const [name, ...args] = cmd;
    const upper = String(name).toUpperCase();
    if (upper === 'SET') {
      const out: (string | number)[] = [name];
      for (let i = 0; i < args.length; i++) {
        const option = String(args[i]).toUpperCase();
        if ((option === 'EX' || option === 'PX') && i + 1 < args.length) {
          out.push('PX', this.wireTtl(Number(args[++i]) * (option === 'EX' ? 1000 : 1)));
        } else out.push(args[i]);
      }
      return out;
    }
    if (upper === 'PEXPIRE') return [name, args[0], this.wireTtl(Number(args[1]))];
    if (upper === 'EVAL') {
      const durations = SCRIPT_DURATION_ARGS[String(args[0])] ?? [];
      const argv = 2 + Number(args[1]);
      return [name, ...args.map((arg, i) => (durations.includes(i - argv) ? this.wireTtl(Number(arg)) : arg))];
    }
    return cmd;
  }

  /**
   * A Redis reply in model ms: PTTL's positive answers scaled back; everything else as it is.
   * @example new TimeScale(10).redisReply(['PTTL', 'lock'], 42) // 420
   */
  redisReply(cmd: RedisCommand, reply: unknown): unknown {
    if (this.factor === 1) return reply;
    const name = String(cmd[0]).startsWith('@') ? cmd[1] : cmd[0];
    return String(name).toUpperCase() === 'PTTL' && typeof reply === 'number' && reply > 0 ? reply * this.factor : reply;
  }
}
