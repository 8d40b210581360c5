import { describe, expect, it } from 'vitest';
import { check } from '../src/index.ts';

describe('inventory: what each variant shows', () => {
  it('naive-lock: every seed 1..20 finds a violation', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const result = check('inventory', { variant: 'naive-lock', seed });
      expect(result.result, `seed ${seed}`).toBe('violation');
    }
  });

  it('naive-lock: sells the last unit twice and frees a foreign lock', () => {
    expect(check('inventory', { variant: 'naive-lock', property: 'no-oversell' }).violation?.property).toBe('no-oversell');
    expect(check('inventory', { variant: 'naive-lock', property: 'no-foreign-release' }).violation?.property).toBe('no-foreign-release');
  });

  it('no-lock oversells', () => {
    expect(check('inventory', { variant: 'no-lock' }).violation?.property).toBe('no-oversell');
  });

  it('owner-checked: oversells when a pause outlasts the TTL, but never releases a foreign lock', () => {
    const oversell = check('inventory', { variant: 'owner-checked', property: 'no-oversell' });
    expect(oversell.violation?.property).toBe('no-oversell');
    expect(oversell.violation?.steps.some((s) => s.text.includes('pauses'))).toBe(true);
    expect(check('inventory', { variant: 'owner-checked', property: 'no-foreign-release', runs: 20_000 }).result).toBe('none');
  });

  it('owner-checked holds when a single pause cannot outlast the TTL', () => {
    expect(check('inventory', { variant: 'owner-checked', pauses: 1, maxPauseMs: 4000, runs: 20_000 }).result).toBe('none');
  });

  it('owner-checked-renew still oversells: a pause can fall between renewal and write', () => {
    expect(check('inventory', { variant: 'owner-checked-renew', property: 'no-oversell' }).violation?.property).toBe('no-oversell');
  });

  it.each(['fenced', 'atomic-decr'])('%s finds nothing in 100,000 schedules', (variant) => {
    const result = check('inventory', { variant, runs: 100_000, seed: 7 });
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(100_000);
  });

  it('a fixed variant that never reaches its sometimes property is reported, not passed', () => {
    // With no pauses nobody's token ever goes stale, so fencing is never exercised.
    const result = check('inventory', { variant: 'fenced', pauses: 0, runs: 2000 });
    expect(result.violation?.property).toBe('reaches-stale-rejected');
    expect(result.violation?.replay).toBeNull();
  });

  it('unneeded buyers disappear from the counterexample', () => {
    const result = check('inventory', { variant: 'naive-lock', params: { buyers: 6 }, property: 'no-oversell' });
    const lanes = new Set(result.violation!.steps.map((s) => s.node).filter((n) => n !== 'redis'));
    expect(lanes.size).toBe(2);
  });
});

describe('order-create', () => {
  it.each(['no-lock', 'naive-lock', 'owner-checked'])('%s creates two orders for one cart', (variant) => {
    expect(check('order-create', { variant }).violation?.property).toBe('one-order-per-cart');
  });

  it('idempotency-key holds', () => {
    expect(check('order-create', { variant: 'idempotency-key', runs: 20_000 }).result).toBe('none');
  });
});

describe('clocks', () => {
  it('a forward jump of the Redis clock expires the lock early: owner-checked breaks even with pauses shorter than the TTL', () => {
    const jump = { offset: 0, driftPpm: 0, jumps: [{ at: 1000, by: 3000 }] };
    const result = check('inventory', { variant: 'owner-checked', pauses: 1, maxPauseMs: 4000, clocks: { redis: jump } });
    expect(result.violation?.steps.some((s) => s.node === 'redis' && s.text === '⏭ clock jumps +3000 ms')).toBe(true);
    expect(result.result).toBe('violation');
  });

  it('skew the bug does not need is minimised away', () => {
    const result = check('inventory', { variant: 'naive-lock', maxSkewMs: 500, maxDriftPpm: 50_000 });
    expect(result.violation!.steps.every((s) => s.t === s.clock)).toBe(true);
  });
});
