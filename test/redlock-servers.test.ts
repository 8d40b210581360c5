// Redlock on five separate Redis servers (`--redis` with five URLs: the store beside redis-1 on the first):
// throwaway redis-server processes on free ports. Under real pauses the buggy variant lets two buyers into the
// critical section and the fenced one holds, in the test's process and with each buyer in a child process; the
// lock commands land on their own servers; the models agree with the servers; nothing is left on any of them.
// Skipped with a printed reason when redis-server is not installed; failing under REQUIRE_SERVICES=1.
// Three buyers and pauses of 3 TTLs, arriving within 2 TTLs, break mutual exclusion in about half the iterations.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redlockScenario } from '../models/redlock.ts';
import { RUN_PREFIX } from '../src/run/namespace.ts';
import { run, type Isolation, type RunResult } from '../src/run/run.ts';
import { childrenOf } from './child-processes.ts';
import { program } from './services.ts';
import { ThrowawayRedis } from './throwaway-redis.ts';

const redisServer = program('redis-server');

const tallyOf = (result: RunResult, property: string) => result.properties.find((t) => t.property === property)!;
/** As in run-acceptance.ts: a TTL boundary left ambiguous by millisecond timing, in a rare iteration. */
const tolerated = (iterations: number) => Math.ceil(iterations / 50);

/** How many iterations each test runs, and how many at once; in child processes fewer (each start costs). */
const SIZES = { shared: { buggy: 24, fenced: 40, parallel: 4 }, process: { buggy: 12, fenced: 8, parallel: 2 } } as const;

describe.skipIf(!redisServer.available)('redlock on five separate Redis servers', () => {
  let servers: ThrowawayRedis;
  const clients: Redis[] = [];
  beforeAll(async () => {
    servers = await ThrowawayRedis.start(5);
    clients.push(...servers.urls.map((url) => new Redis(url)));
  }, 30_000);

  afterAll(async () => {
    try {
      // Nothing left behind: no key of this process's runs on any server, and no child process but the servers.
      for (const client of clients) expect(await client.keys(`${RUN_PREFIX}${process.pid}-*`)).toEqual([]);
      expect(childrenOf(process.pid).map((c) => c.pid).filter((pid) => !servers.pids.includes(pid))).toEqual([]);
    } finally {
      for (const client of clients) client.disconnect();
      await servers?.stop();
    }
  });

  const runOn = (variant: string, isolation: Isolation, iterations: number) => run(redlockScenario, {
    variant, isolation, iterations, backend: 'real', redisUrl: servers.urls.join(','),
    params: { buyers: 3, ttl: 1000 }, timeScale: 20, parallel: SIZES[isolation].parallel,
    faults: { pauseMs: 3000, arrivalsMs: 2000 },
  });

  /** SETs each server executed, from its command statistics. */
  const setsPerServer = () => Promise.all(clients.map(async (client) => Number(/cmdstat_set:calls=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0)));

  it.for(['shared', 'process'] as const)('the buggy variant lets two buyers in under real pauses, each lock instance on its own server (--isolation %s)', async (isolation) => {
    const before = await setsPerServer();
    const iterations = SIZES[isolation].buggy;
    const result = await runOn('redlock', isolation, iterations);
    const after = await setsPerServer();
    expect(result.servers.redisServers).toEqual({
      redis: `Redis at ${servers.urls[0].slice(8)}`, 'redis-1': `Redis at ${servers.urls[0].slice(8)}`,
      'redis-2': `Redis at ${servers.urls[1].slice(8)}`, 'redis-3': `Redis at ${servers.urls[2].slice(8)}`,
      'redis-4': `Redis at ${servers.urls[3].slice(8)}`, 'redis-5': `Redis at ${servers.urls[4].slice(8)}`,
    });
    // Every buyer that arrives tries every instance: each server took lock SETs (the first the setup's too).
    after.forEach((sets, i) => expect(sets - before[i], servers.urls[i]).toBeGreaterThanOrEqual(iterations));
    expect(tallyOf(result, 'mutual-exclusion').violatedIn).toBeGreaterThan(0);
    const steps = result.violation!.steps;
    expect(steps.some((s) => s.text.startsWith('‖ pauses for 3000 ms'))).toBe(true);
    // The keys expire on the lock instances' own servers, each in its lane.
    expect(steps.filter((s) => s.text.startsWith('⌛ lock:stock expires')).map((s) => s.node)).toEqual(expect.arrayContaining(['redis-1', 'redis-5']));
    expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(iterations));
  });

  it.for(['shared', 'process'] as const)('the fenced variant holds under the same pauses (--isolation %s)', async (isolation) => {
    const iterations = SIZES[isolation].fenced;
    const result = await runOn('redlock-fenced', isolation, iterations);
    expect(result.violation).toBeNull();
    expect(result.unjudged).toBe(0);
    expect(tallyOf(result, 'reaches-sale').reachedIn).toBeGreaterThan(0);
    expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(iterations));
  });
});
