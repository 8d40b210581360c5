/**
 * ioredis-mock as a differential target. The mock reads the wall clock (`Date`) for every TTL, so its clock is
 * vitest's fake `Date`, set to each planned instant: no slack and no lag, PTTL must match to the millisecond.
 */
import type { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { vi } from 'vitest';
import type { RedisCommand, RedisReply } from '../../../src/world/redis/types.ts';
import { type RedisTarget, type TargetRun, wireCommand } from './differential.ts';
import type { PlannedStep } from './plan.ts';
import { KEYS } from './sequences.ts';

/** Where the mock's clock stands at the model's instant 0 (any fixed instant would do). */
const EPOCH = 1_700_000_000_000;

type MockMethods = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/**
 * ioredis-mock with its clock held at the model's instants.
 * @example const target = MockTarget.open(); try { await compare(target, steps) } finally { target.close() }
 */
export class MockTarget implements RedisTarget {
  readonly name = 'ioredis-mock';
  readonly slackMs = 0;

  private constructor(private readonly mock: Redis) {}

  /**
   * Fakes `Date` (only `Date`: promises and timers stay real) and opens a mock whose data no other test shares.
   * @example const target = MockTarget.open()
   */
  static open(): MockTarget {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Mocks share data per host:port (a module-wide map); a port of its own keeps these keys apart.
    return new MockTarget(new RedisMock({ port: 16_379 }));
  }

  /** Runs each command with the fake clock at its planned instant. */
  async run(plan: readonly PlannedStep[]): Promise<TargetRun> {
    await this.mock.del(...KEYS);
    const replies: RedisReply[] = [];
    for (const step of plan) {
      vi.setSystemTime(EPOCH + step.at);
      replies.push(await this.reply(step.command));
    }
    return { replies, lagMs: 0 };
  }

  /** The mock's reply to `cmd` in the model's shape. */
  private async reply(cmd: RedisCommand): Promise<RedisReply> {
    // Purge a lapsed key before SET, as Redis's lazy expiry would (sequences.ts: the mock loses such a write).
    if (cmd[0] === 'SET') await this.mock.exists(String(cmd[1]));
    const [name, ...args] = wireCommand(cmd);
    try {
      const reply = await (this.mock as unknown as MockMethods)[String(name).toLowerCase()](...args);
      return reply === false ? null : (reply as RedisReply);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  /**
   * Closes the mock and gives `Date` back.
   * @example target.close()
   */
  close(): void {
    this.mock.disconnect();
    vi.useRealTimers();
  }
}
