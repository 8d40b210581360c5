/**
 * The differential check can fail: a model with one deliberately wrong rule must be caught, on ioredis-mock and
 * on real Redis, and fast-check must shrink the counterexample to the few commands that show the wrong rule.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisModel } from '../../../src/world/redis/model.ts';
import type { RedisCommand, RedisOutcome } from '../../../src/world/redis/types.ts';
import { REDIS_URL, service } from '../../services.ts';
import { type RedisTarget, agreementProperty, compare } from './differential.ts';
import { MockTarget } from './mock-target.ts';
import { RealRedis } from './real-target.ts';
import { type Scope, type Step, stepSequences } from './sequences.ts';

/** Wrong rule: INCR adds 2 (it runs twice). */
class IncrAddsTwo extends RedisModel {
  override exec(cmd: RedisCommand, now: number): RedisOutcome {
    if (cmd[0] === 'INCR') super.exec(cmd, now);
    return super.exec(cmd, now);
  }
}

/** Wrong rule: SET NX refuses a key whose TTL ran out but whose entry is still stored, as if it were live. */
class NxSeesExpiredKeys extends RedisModel {
  override exec(cmd: RedisCommand, now: number): RedisOutcome {
    const key = String(cmd[1]);
    const expiredButStored = this.get(key, now) === null && this.expireAt(key) !== null;
    if (cmd[0] === 'SET' && cmd.includes('NX') && expiredButStored) return { reply: null, changes: [] };
    return super.exec(cmd, now);
  }
}

/**
 * Each wrong rule, with what its counterexample must look like once shrunk: at most `maxSteps` steps, the last
 * one the command showing the rule. SET NX needs a key that expired: a SET with a TTL, or (a local minimum the
 * shrinker may stop at) a write then a PEXPIRE.
 */
const wrongRules = [
  { rule: 'INCR adds 2', newModel: () => new IncrAddsTwo(), maxSteps: 1, last: ['INCR'] },
  { rule: 'SET NX sees expired keys', newModel: () => new NxSeesExpiredKeys(), maxSteps: 3, last: ['SET', 'NX'] },
];

/**
 * Checks `target` against each wrong rule: the check fails, the divergence is at the counterexample's last step,
 * and the counterexample is 1-minimal (without any one of its steps, model and target agree again).
 */
function catchesEachWrongRule(target: () => RedisTarget, scope: Scope) {
  it.each(wrongRules)('catches $rule in at most $maxSteps command(s)', async ({ newModel, maxSteps, last }) => {
    const details = await fc.check(agreementProperty(target(), stepSequences(scope), newModel), { seed: 7, numRuns: 1000 });
    expect(details.failed).toBe(true);
    const [steps] = details.counterexample as [Step[]];
    const message = (details.errorInstance as Error).message;
    expect(message).toContain(' disagrees with the model at step '); // a divergence, not a harness failure
    expect(steps.length, message).toBeLessThanOrEqual(maxSteps);
    const { plan, firstDifference } = await compare(target(), steps, newModel);
    expect(firstDifference, message).toBe(steps.length - 1);
    for (const word of last) expect(plan[steps.length - 1].command, message).toContain(word);
    for (const [i] of steps.entries()) {
      const without = await compare(target(), steps.toSpliced(i, 1), newModel);
      expect(without.firstDifference, `${message}\nstill differs without step ${i + 1}`).toBeNull();
    }
  });
}

describe('a wrong model rule against ioredis-mock', () => {
  let mock: MockTarget;
  beforeAll(() => {
    mock = MockTarget.open();
  });
  afterAll(() => mock.close());
  catchesEachWrongRule(() => mock, 'mock');
});

const redis = await service('redis', REDIS_URL);

describe.skipIf(!redis.available)('a wrong model rule against real Redis', () => {
  let real: RealRedis;
  beforeAll(async () => {
    real = await RealRedis.open(redis.url);
  });
  afterAll(() => real?.close());
  catchesEachWrongRule(() => real.target('shift'), 'redis');
});
