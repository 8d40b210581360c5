// The reference article's lock (../shared/seed.txt §4.1), written as a user writes it, with an ioredis client,
// checked as it is: the checker finds its bug with a minimal replayable trace, and the fixed function holds.
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';
import { check, checkAsyncLock, redisScripts, replay, UsageError, type ReplayingClient } from 'interleave';

/** The article's `get_lock` (SET NX EX 5), the inventory deduction, then `release_lock` (a plain DEL): ioredis code. */
async function buy(client: Redis, name: string): Promise<void> {
  const ok = await client.set('lock:stock', name, 'EX', 5, 'NX');
  if (ok !== 'OK') return;
  const stock = Number(await client.get('stock'));
  if (stock > 0) {
    await client.set('stock', stock - 1);
    await client.incr('sold');
  }
  await client.del('lock:stock');
}

const lua = (name: string) => redisScripts.get(name)!.lua;

/** The fix: an atomic decrement-if-positive, and a release that deletes only its own lock. */
async function buyFixed(client: Redis, name: string): Promise<void> {
  const ok = await client.set('lock:stock', name, 'EX', 5, 'NX');
  if (ok !== 'OK') return;
  const left = Number(await client.eval(lua('decr-if-positive'), 1, 'stock'));
  if (left >= 0) await client.incr('sold');
  await client.eval(lua('compare-and-delete'), 1, 'lock:stock', name);
}

describe('an article-style async lock function under the checker', () => {
  it('is plain ioredis code: one buyer after another sells the last unit once (on ioredis-mock)', async () => {
    const redis = new RedisMock() as unknown as Redis;
    try {
      await redis.set('stock', 1);
      await buy(redis, 'A');
      await buy(redis, 'B');
      expect([await redis.get('stock'), await redis.get('sold'), await redis.get('lock:stock')]).toEqual(['0', '1', null]);
    } finally {
      await redis.del('stock', 'sold', 'lock:stock');
      redis.disconnect();
    }
  });

  it('oversells: a buyer paused past the TTL writes after the next buyer sold the last unit', async () => {
    const { result, scenario } = await checkAsyncLock(buy, { seed: 1, runs: 2_000 });
    const violation = result.violation!;
    expect(violation.property).toBe('no-oversell');
    expect(violation.message).toBe('2 sold with an initial stock of 1 (stock=0, sold=2)');
    const text = violation.steps.map((s) => `${s.node}: ${s.text}`);
    expect(text).toContain('A: ‖ pauses for 5001 ms (until t=5001)');
    expect(text).toContain('redis: ⌛ lock:stock expires (was "A")');
    // Minimal: both buyers' four commands, the pause, the expiry, and nothing else.
    expect(text.filter((t) => / → /.test(t))).toHaveLength(8);
    expect(replay(violation.replay!, { scenarios: [scenario] }).violation).toEqual(violation);
    // The very counterexample the checker finds in its own model of the article's lock (tokens aside).
    const model = check('inventory', { variant: 'naive-lock', seed: 1, runs: 2_000, params: { buyers: 2, stock: 1, ttl: 5_000 } });
    const shape = (steps: typeof violation.steps) => steps.map((s) => [s.t, s.node, s.text.split(' ')[0], s.text.split(' → ')[1]]);
    expect(shape(violation.steps)).toEqual(shape(model.violation!.steps));
  });

  it("deletes another buyer's lock with its plain DEL", async () => {
    const { result, scenario } = await checkAsyncLock(buy, { seed: 1, runs: 2_000, property: 'no-foreign-release' });
    const violation = result.violation!;
    expect(violation.property).toBe('no-foreign-release');
    const [, deleter, owner] = /^(A|B) \(token \1\) deleted lock:stock while it held (A|B)'s token \2$/.exec(violation.message) ?? [];
    expect([deleter, owner].sort()).toEqual(['A', 'B']);
    // The deleter is the buyer that was paused past the TTL; its DEL removes the other's lock.
    const text = violation.steps.map((s) => `${s.node}: ${s.text}`);
    expect(text).toContain(`${deleter}: ‖ pauses for 5001 ms (until t=5001)`);
    expect(text).toContain(`${deleter}: DEL lock:stock → 1  (removed "${owner}")`);
    expect(replay(violation.replay!, { scenarios: [scenario] }).violation).toEqual(violation);
  });

  it('holds once fixed (atomic decrement, compare-and-delete release): every schedule of two buyers', async () => {
    const { result } = await checkAsyncLock(buyFixed, { mode: 'exhaustive', params: { buyers: 2, stock: 1 } });
    expect(result.violation).toBeNull();
    expect(result.stats.exhaustive?.exhausted).toBe(true);
    expect(result.reached).toEqual(expect.arrayContaining(['reaches-sale', 'reaches-own-release']));
  });

  it('holds once fixed for three buyers, pauses and skewed clocks', async () => {
    const { result } = await checkAsyncLock(buyFixed, { seed: 1, runs: 1_000, params: { buyers: 3, stock: 1 }, maxSkewMs: 2_000 });
    expect(result.violation).toBeNull();
    expect(result.reached).toEqual(expect.arrayContaining(['reaches-sale', 'reaches-own-release']));
  });

  it("runs a function that retries with client.sleep and checks client.now on the process's own clock", async () => {
    async function buyChecked(client: ReplayingClient, name: string): Promise<void> {
      for (let attempt = 0; (await client.set('lock:stock', name, 'PX', 1_000, 'NX')) !== 'OK'; attempt++) {
        if (attempt === 2) return;
        await client.sleep(300);
      }
      const stock = Number(await client.get('stock'));
      const started = Number(await client.now());
      if (stock > 0) {
        await client.set('stock', stock - 1);
        await client.incr('sold');
      }
      if (Number(await client.now()) - started < 1_000) await client.del('lock:stock');
    }
    const { result } = await checkAsyncLock(buyChecked, { seed: 1, runs: 3_000 });
    // Reading the clock before writing does not help: the pause falls between the reading and the write.
    expect(result.violation?.property).toBe('no-oversell');
    const text = result.violation!.steps.map((s) => s.text);
    expect(text).toContain('reads its clock → 0');
    expect(text.some((t) => t.startsWith('sleeps 300 ms by its clock'))).toBe(true);
  });

  it('says in one line when a function is not deterministic or sends commands concurrently', async () => {
    let calls = 0;
    const flaky = async (client: ReplayingClient, name: string) => { await client.set(`lock:${calls++}`, name); };
    await expect(checkAsyncLock(flaky, { runs: 10 })).rejects.toThrow(UsageError);
    const eager = async (client: ReplayingClient) => { await Promise.all([client.get('stock'), client.get('sold')]); };
    await expect(checkAsyncLock(eager, { runs: 10 })).rejects.toThrow(/before its previous command replied/);
    const custom = async (client: ReplayingClient) => { await client.eval('return 1', 0); };
    await expect(checkAsyncLock(custom, { runs: 10 })).rejects.toThrow(/not one of the built-in scripts/);
  });
});
