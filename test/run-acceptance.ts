// The runner's acceptance, shared by the embedded and the real backend (run-embedded.test.ts, run-real.test.ts),
// with every process in the test's Node process or each in a child process (--isolation process, real only):
// the buggy variants break their property for real, the fixed ones hold, and nothing is left behind.
// Iterations run at a time scale (1 real ms = 20 or 50 model ms) and several at once, so the suite stays short;
// the numbers of iterations are chosen so that a bug that shows in a quarter of the iterations is missed with a
// probability below 1e-3. In child processes, fewer run at once and fewer in all: each process's child takes the
// better part of a second to start, and each kill costs a new one. Seed 1 plans the payment worker's kill between
// its charge and its ack in 3 of the first 6 iterations (and 9 of the first 12), so 6 show the double charge;
// with one pause on a worker as well, it plans the pause and the kill both there, so that the worker pauses
// after its charge and dies as the pause ends, in 3 of the first 6 (6 of the first 12, 10 of the first 24).
import { afterAll, describe, expect, it } from 'vitest';
import { inventory, orderConfirm, payment } from '../models/index.ts';
import { AmqpServer } from '../src/run/amqp-server.ts';
import { RedisConnection } from '../src/run/redis-client.ts';
import { RUN_PREFIX } from '../src/run/namespace.ts';
import { run, type Backend, type Isolation, type RunOptions, type RunResult } from '../src/run/run.ts';
import { runResultLines } from '../src/run/run-text.ts';
import type { RunEvent } from '../src/sim/events.ts';
import type { Scenario } from '../src/scenario.ts';
import { childrenOf } from './child-processes.ts';

/** Timing at the millisecond level on a loaded machine can leave a TTL boundary ambiguous (redis-replay.ts); a model error shows in most iterations. */
const tolerated = (iterations: number) => Math.ceil(iterations / 50);

/** The queues each scenario declares. */
const QUEUES: Record<string, readonly string[]> = { inventory: [], payment: ['payments'], 'order-confirm': ['confirmations'] };

const tallyOf = (result: RunResult, property: string) => result.properties.find((t) => t.property === property)!;

/** A worker charged, paused, and crashed as the pause ended: what dedupe-expiry's double charge takes. */
function pausedAfterChargeThenDied(events: readonly RunEvent[]): boolean {
  return events.some((crash, i) => {
    if (crash.kind !== 'crash') return false;
    const own = events.slice(0, i + 1).filter((e) => 'proc' in e && e.proc === crash.proc).slice(-4);
    const [charge] = own;
    return own.map((e) => e.kind).join() === 'command,pause,resume,crash' && charge.kind === 'command' && charge.command[0] === 'PAY.CHARGE';
  });
}

/** How many iterations each test runs, and how many at once. */
const SIZES = {
  shared: { parallel: 4, naiveLock: 30, fenced: 200, fencedParallel: 8, payment: 12, pausedIdempotent: 24 },
  process: { parallel: 2, naiveLock: 24, fenced: 30, fencedParallel: 2, payment: 6, pausedIdempotent: 12 },
} as const;

/**
 * Declares the acceptance tests for `backend` (with the URLs to use for `real`), with the processes hosted as
 * `isolation` says; in child processes, only the lock and payment scenarios.
 * @example acceptance('embedded', {})
 */
export function acceptance(backend: Backend, urls: Pick<RunOptions, 'redisUrl' | 'amqpUrl'>, isolation: Isolation = 'shared'): void {
  /** Every queue the runs declared, by its wire name. */
  const queues: string[] = [];
  const runOn = (scenario: Scenario, options: RunOptions) => run(scenario, {
    ...options, ...urls, backend, isolation,
    onIteration: (done, judgement, prefix) => {
      queues.push(...QUEUES[scenario.name].map((q) => `${prefix}${q}`));
      options.onIteration?.(done, judgement, prefix);
    },
  });
  const size = SIZES[isolation];
  const where = isolation === 'process' ? `${backend}, each process in a child process` : backend;
  const lockRun = { params: { ttl: 1000 }, timeScale: 20, parallel: size.parallel };
  const queueRun = { timeScale: 20, parallel: size.parallel };

  describe(`inventory on ${where}`, () => {
    it('naive-lock with a real pause past the TTL oversells and frees a foreign lock', async () => {
      const result = await runOn(inventory, { ...lockRun, variant: 'naive-lock', iterations: size.naiveLock });
      expect(result.faults).toMatchObject({ pauses: 2, pauseMs: 2000 });
      expect(tallyOf(result, 'no-oversell').violatedIn).toBeGreaterThan(0);
      expect(tallyOf(result, 'no-foreign-release').violatedIn).toBeGreaterThan(0);
      expect(tallyOf(result, 'no-foreign-release').first!.message).toMatch(/deleted lock:stock while it held .*'s token/);
      const texts = result.violation!.steps.map((s) => s.text);
      expect(result.violation!.property).toBe('no-oversell');
      expect(texts.some((t) => t.startsWith('‖ pauses for 2000 ms'))).toBe(true);
      expect(texts.some((t) => t.startsWith('⌛ lock:stock expires'))).toBe(true);
      expect(texts.at(-1)).toBe('INCR sold → 2');
      expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(size.naiveLock));
    });

    it(`fenced holds over ${size.fenced} iterations, and its store did turn stale tokens away`, async () => {
      const result = await runOn(inventory, { ...lockRun, variant: 'fenced', iterations: size.fenced, timeScale: 50, parallel: size.fencedParallel });
      expect(result.violation).toBeNull();
      expect(result.unjudged).toBe(0);
      expect(tallyOf(result, 'reaches-sale').reachedIn).toBe(size.fenced);
      expect(tallyOf(result, 'reaches-stale-rejected').reachedIn).toBeGreaterThan(0);
      expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(size.fenced));
    });
  });

  describe(`payment on ${where}`, () => {
    it('ack-after with a worker killed between the charge and the ack charges twice', async () => {
      const result = await runOn(payment, { ...queueRun, variant: 'ack-after', iterations: size.payment });
      expect(result.faults.kills).toBe(1);
      expect(result.violation?.property).toBe('no-duplicate-charge');
      const texts = result.violation!.steps.map((s) => s.text);
      expect(texts).toContain('✗ crashes');
      expect(texts.some((t) => t.includes('(redelivered)'))).toBe(true);
      expect(texts.filter((t) => t.startsWith('PAY.CHARGE order-1'))).toHaveLength(2);
      expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(size.payment));
    });

    it('idempotent holds under the same kills', async () => {
      const result = await runOn(payment, { ...queueRun, variant: 'idempotent', iterations: size.payment });
      expect(result.violation).toBeNull();
      expect(tallyOf(result, 'reaches-charge').reachedIn).toBe(size.payment);
      expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(size.payment));
    });

    /** A payment run with a pause and a kill per iteration, and the iterations whose worker paused after its charge and then died. */
    const pausedRun = async (variant: string, iterations: number) => {
      const events: (readonly RunEvent[])[] = [];
      const result = await runOn(payment, { ...queueRun, variant, iterations, faults: { pauses: 1, kills: 1 }, onIteration: (_done, judgement) => { events.push(judgement.events); } });
      expect(result.faults).toMatchObject({ pauses: 0, deliveryPauses: 1, pauseMs: 4000, kills: 1 });
      expect(runResultLines(result)[1]).toContain('faults per iteration: 1 pause of 4000 ms after a delivery, 1 kill after a delivery');
      return { result, struck: events.filter(pausedAfterChargeThenDied).length };
    };

    it('dedupe-expiry with a worker paused past the window after its charge, then killed, charges twice', async () => {
      const { result, struck } = await pausedRun('dedupe-expiry', size.payment);
      expect(struck).toBeGreaterThanOrEqual(size.payment / 4);
      expect(tallyOf(result, 'no-duplicate-charge').violatedIn).toBeGreaterThanOrEqual(struck);
      expect(result.violation?.property).toBe('no-duplicate-charge');
      const steps = result.violation!.steps;
      // The worker that paused: its charge just before, its crash just after it resumed.
      const paused = steps.findIndex((s) => s.text.startsWith('‖ pauses for 4000 ms'));
      const worker = (s: { node: string }) => s.node === steps[paused].node;
      expect(steps.slice(0, paused).filter(worker).at(-1)?.text).toMatch(/^PAY\.CHARGE order-1 order-1 → /);
      expect(steps.slice(paused + 1).filter(worker).slice(0, 2).map((s) => s.text)).toEqual(['▶ resumes', '✗ crashes']);
      expect(steps.some((s) => s.text.includes('(redelivered)'))).toBe(true);
      expect(steps.filter((s) => s.text.startsWith('PAY.CHARGE order-1'))).toHaveLength(2);
      expect(result.fidelity).toEqual({ iterations: 0, problems: [] });
    });

    it('idempotent holds under the same pauses and kills', async () => {
      const { result, struck } = await pausedRun('idempotent', size.pausedIdempotent);
      expect(struck).toBeGreaterThanOrEqual(size.pausedIdempotent / 4);
      expect(result.violation).toBeNull();
      expect(tallyOf(result, 'reaches-charge').reachedIn).toBe(size.pausedIdempotent);
      expect(result.fidelity).toEqual({ iterations: 0, problems: [] });
    });
  });

  // Order confirmation in child processes behaves the same (seen by hand) but costs 20 s of child start-ups: it
  // is run in shared isolation only.
  if (isolation === 'shared') describe(`order-confirm on ${where}`, () => {
    it('auto-ack loses the order of a worker killed after receiving it', async () => {
      const result = await runOn(orderConfirm, { ...queueRun, variant: 'auto-ack', iterations: 6 });
      expect(result.violation?.property).toBe('no-lost-order');
      expect(result.violation!.steps.map((s) => s.text)).toContain('✓ msg-order-1 auto-acked: gone from the broker');
      expect(result.unjudged).toBe(0);
    });

    it('outbox loses nothing and confirms once', async () => {
      const result = await runOn(orderConfirm, { ...queueRun, variant: 'outbox', iterations: 8 });
      expect(result.violation).toBeNull();
      expect(result.unjudged).toBe(0);
      expect(tallyOf(result, 'reaches-confirmation').reachedIn).toBe(8);
      expect(result.fidelity.iterations).toBeLessThanOrEqual(tolerated(8));
    });
  });

  afterAll(async () => {
    // Leftovers: no key of this process's runs, and none of the queues they declared.
    const redis = await RedisConnection.open(backend, urls.redisUrl);
    const broker = await AmqpServer.open(backend, urls.amqpUrl);
    try {
      expect(queues.length).toBeGreaterThan(0);
      expect(await redis.keys(`${RUN_PREFIX}${process.pid}-*`)).toEqual([]);
      for (const queue of queues) expect(await broker.queueExists(queue), queue).toBe(false);
      // Nor any child process, running or a zombie: every run ends (and reaps) the children it started.
      expect(childrenOf(process.pid)).toEqual([]);
    } finally {
      await redis.close();
      await broker.close();
    }
  });
}
