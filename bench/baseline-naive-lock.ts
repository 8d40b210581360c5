/**
 * The BASELINE: the inventory scenario's naive-lock variant written the way a fast-check user would write it
 * without interleave — `fc.scheduler()` to reorder async steps, ioredis-mock as the Redis, and a fake clock so
 * the lock's `EX` can run out. Three buyers race for one unit; the property is "sold ≤ 1".
 *
 * Each Redis call is gated on a scheduled no-op: fast-check runs a scheduled call at once and only delays its
 * answer, so without the gate every command would hit Redis in program order and no interleaving would matter.
 * One extra scheduled task, "time passes", moves the clock past the TTL at whatever point the scheduler picks,
 * which is what makes the oversell reachable (A's lock expires while A sits between GET and SET).
 */
import fc from 'fast-check';
import Redis from 'ioredis-mock';

/** Scenario constants, the same as `inventory`'s defaults (buyers 3, stock 1, ttl 5000 ms). */
export const BASELINE = { buyers: 3, stock: 1, ttlSeconds: 5, tickMs: 6_000 } as const;

const LOCK = 'lock:stock';
const NAMES = ['A', 'B', 'C'] as const;
type Client = InstanceType<typeof Redis>;

/**
 * Virtual time for ioredis-mock, which reads `Date.now` for expiry. Installed only while a baseline
 * measurement runs and restored after; bench/ is outside the deterministic core, so patching is fine here.
 */
class FakeClock {
  private now = 0;
  private readonly real = Date.now;
  install(): void { Date.now = () => this.now; }
  uninstall(): void { Date.now = this.real; }
  reset(): void { this.now = 1_700_000_000_000; }
  advance(ms: number): void { this.now += ms; }
}

/** What one baseline run did. */
export interface BaselineRun {
  /** Value of `sold` after every buyer finished. */
  readonly sold: number;
  /** Labels of the tasks fast-check resolved, in order (its `s.report()`): one per Redis call, plus the tick. */
  readonly tasks: readonly string[];
  /** How many of `tasks` had resolved when `sold` first exceeded the stock, or `null` without an oversell. */
  readonly tasksToOversell: number | null;
}

/** Label of the scheduled "time passes" task. */
export const TICK_LABEL = `time +${BASELINE.tickMs} ms`;

/** One buyer, exactly the inventory scenario's naive-lock buyer, on a real (mock) client. */
async function buyer(s: fc.Scheduler, redis: Client, name: string, onSold: (sold: number) => void): Promise<void> {
  // The gate: the scheduler decides when this buyer's next Redis call may happen.
  const gate = (what: string) => s.schedule(Promise.resolve(`${name} ${what}`), `${name} ${what}`);
  await gate('SET lock NX EX');
  if ((await redis.set(LOCK, `${name}-token`, 'EX', BASELINE.ttlSeconds, 'NX')) !== 'OK') return; // gave up
  await gate('GET stock');
  const stock = Number(await redis.get('stock'));
  if (stock > 0) {
    await gate('SET stock');
    await redis.set('stock', stock - 1);
    await gate('INCR sold');
    onSold(await redis.incr('sold'));
  }
  await gate('DEL lock');
  await redis.del(LOCK);
}

/**
 * The baseline harness: one ioredis-mock client per buyer (created once and reused, the cheapest setup a user
 * could write) and the fake clock.
 * @example
 * const baseline = new NaiveLockBaseline();
 * await baseline.fullRuns(1, 5_000);     // { runs: 5000, oversold: … }
 * await baseline.firstFailure(1);        // { runs: …, counterexample: { sold: 2, tasks: […], … } }
 */
export class NaiveLockBaseline {
  private readonly clients: Client[] = NAMES.map(() => new Redis());
  private readonly clock = new FakeClock();

  /** Runs `body` with the fake clock installed. */
  async withFakeTime<T>(body: () => Promise<T>): Promise<T> {
    this.clock.install();
    try {
      return await body();
    } finally {
      this.clock.uninstall();
    }
  }

  /** One run under scheduler `s`: fresh store, three buyers and the time step, all driven to the end. */
  async run(s: fc.Scheduler): Promise<BaselineRun> {
    this.clock.reset();
    await this.clients[0].flushall();
    await this.clients[0].set('stock', BASELINE.stock);
    let tasksToOversell: number | null = null;
    const onSold = (sold: number) => {
      if (sold > BASELINE.stock && tasksToOversell === null) tasksToOversell = s.report().filter((t) => t.status === 'resolved').length;
    };
    const tick = s.schedule(Promise.resolve('time passes'), TICK_LABEL).then(() => this.clock.advance(BASELINE.tickMs));
    const all = Promise.all([tick, ...NAMES.map((name, i) => buyer(s, this.clients[i], name, onSold))]);
    // Not `s.waitAll()`: it returns as soon as no task is scheduled, which happens while a buyer is between a
    // Redis reply and its next gate (measured: about half the runs ended with a buyer unfinished).
    // `waitFor` keeps releasing tasks until every buyer and the time step have finished.
    await s.waitFor(all);
    const sold = Number((await this.clients[0].get('sold')) ?? 0);
    return { sold, tasks: s.report().map((t) => t.label), tasksToOversell };
  }

  /**
   * Runs `numRuns` complete runs from `seed` without stopping at an oversell (the property always holds);
   * returns how many oversold.
   */
  async fullRuns(seed: number, numRuns: number): Promise<{ runs: number; oversold: number }> {
    let runs = 0;
    let oversold = 0;
    await this.withFakeTime(() => fc.check(fc.asyncProperty(fc.scheduler(), async (s) => {
      runs++;
      if ((await this.run(s)).sold > BASELINE.stock) oversold++;
      return true;
    }), { seed, numRuns }));
    return { runs, oversold };
  }

  /**
   * Searches from `seed` until the first run that oversells (fast-check's `fc.check` with `sold ≤ stock`), and
   * returns that run after fast-check's shrinking (which for `fc.scheduler()` is none: it does not shrink).
   */
  async firstFailure(seed: number, maxRuns = 100_000): Promise<{ runs: number; counterexample: BaselineRun } | null> {
    let last: BaselineRun | null = null;
    const details = await this.withFakeTime(() => fc.check(fc.asyncProperty(fc.scheduler(), async (s) => {
      last = await this.run(s);
      return last.sold <= BASELINE.stock;
    }), { seed, numRuns: maxRuns }));
    if (!details.failed || details.counterexample === null) return null;
    // fast-check's counterexample is the scheduler of the failing run, unshrunk; its report is that run's.
    const [s] = details.counterexample;
    const found: BaselineRun = last!;
    if (found.sold <= BASELINE.stock || s.report().length !== found.tasks.length) throw new Error('baseline: the reported counterexample is not the failing run');
    return { runs: details.numRuns, counterexample: found };
  }
}
