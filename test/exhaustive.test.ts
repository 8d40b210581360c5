// Exhaustive search (issue 4): breadth-first over every schedule and fault placement, states kept as 64-bit
// fingerprints. It proves fixed variants within the fault budget (state counts pinned, so a change to the model
// or the search that alters the state space shows here), returns a shortest counterexample for buggy ones —
// which random search's minimised counterexample matches in length — and stops cleanly at its bounds.
import { describe, expect, it } from 'vitest';
import { check, scenarios } from '../src/index.ts';
import { checkResultLines } from '../src/report/text.ts';
import { FingerprintSet } from '../src/check/fingerprint-set.ts';
import { fingerprintOf } from '../src/sim/hash64.ts';

const exhaustive = (scenario: string, variant: string, extra: Parameters<typeof check>[1] = {}) => check(scenario, { variant, mode: 'exhaustive', ...extra });

describe('exhaustive search', () => {
  it.each([
    ['inventory', 'atomic-decr', {}, 113, 243],
    ['inventory', 'fenced', { params: { buyers: 2 } }, 13_299, 22_254],
    ['order-create', 'idempotency-key', {}, 45, 64],
    ['payment', 'idempotent', {}, 7_381, 13_394],
    ['order-confirm', 'outbox', { params: { workers: 1 } }, 17_539, 34_596],
  ] as const)('proves %s/%s within the fault budget, states and transitions pinned', (scenario, variant, extra, states, transitions) => {
    const result = exhaustive(scenario, variant, extra);
    expect(result.result).toBe('none');
    expect(result.stats.exhaustive).toMatchObject({ exhausted: true, bound: null, states, transitions });
  });

  it.each([
    ['inventory', 'naive-lock', 'no-oversell'],
    ['inventory', 'owner-checked', 'no-oversell'],
    ['payment', 'ack-after', 'no-duplicate-charge'],
    ['payment', 'auto-ack', 'no-lost-order'],
    ['order-confirm', 'publish-no-confirm', 'no-lost-order'],
  ])('finds a shortest counterexample for %s/%s, and random search shrinks to the same length', (scenario, variant, property) => {
    const shortest = exhaustive(scenario, variant);
    expect(shortest.violation?.property).toBe(property);
    const random = check(scenario, { variant, property });
    expect(random.violation!.decisions).toBe(shortest.violation!.decisions);
  });

  // Every buggy variant's shortest counterexample, within a stated fault budget: the scenario's own where that is
  // searched in a few seconds, else only the faults the bug needs (its other faults only multiply the states).
  const noPausesNoLosses = { pauses: 0, losses: 0 } as const;
  const shortestCases = [
    ['inventory', 'no-lock', 'no-oversell', 6, {}], ['inventory', 'naive-lock', 'no-oversell', 10, {}], ['inventory', 'owner-checked', 'no-oversell', 10, {}],
    ['inventory', 'owner-checked-renew', 'no-oversell', 14, { pauses: 1 }],
    ['order-create', 'no-lock', 'one-order-per-cart', 4, {}], ['order-create', 'naive-lock', 'one-order-per-cart', 8, {}], ['order-create', 'owner-checked', 'one-order-per-cart', 8, {}],
    ['payment', 'auto-ack', 'no-lost-order', 6, {}], ['payment', 'ack-before', 'no-lost-order', 7, {}], ['payment', 'ack-after', 'no-duplicate-charge', 7, {}],
    ['payment', 'claim-first', 'no-lost-order', 10, {}], ['payment', 'dedupe-expiry', 'no-duplicate-charge', 9, {}],
    ['order-confirm', 'auto-ack', 'no-lost-order', 10, noPausesNoLosses], ['order-confirm', 'publish-no-confirm', 'no-lost-order', 4, {}],
    ['order-confirm', 'confirms-retry', 'no-lost-order', 4, noPausesNoLosses], ['order-confirm', 'outbox-no-dedupe', 'no-duplicate-confirmation', 12, noPausesNoLosses],
    ['checkout', 'naive', 'no-oversell', 10, { pauses: 1, crashes: 0, losses: 0 }],
    ['checkout', 'publish-before-commit', 'no-ghost-charge', 9, { ...noPausesNoLosses, params: { buyers: 1 } }],
    ['checkout', 'ack-after', 'no-duplicate-charge', 18, { ...noPausesNoLosses, params: { buyers: 1 } }],
    ['redlock', 'redlock', 'no-oversell', 22, { pauses: 1 }],
    ['clock-skew', 'timestamp-lock', 'no-oversell', 12, {}],
  ] as const;
  it.each(shortestCases)('the shortest counterexample of %s/%s: %s in %i decisions, within the budget %j', (scenario, variant, property, decisions, budget) => {
    const shortest = exhaustive(scenario, variant, budget);
    expect(shortest.violation).toMatchObject({ property, decisions });
  });

  it('pins a shortest counterexample for every buggy variant', () => {
    const buggy = scenarios.flatMap((s) => s.variants.filter((v) => v.expected === 'violates').map((v) => `${s.name}/${v.name}`));
    expect(shortestCases.map(([scenario, variant]) => `${scenario}/${variant}`).sort()).toEqual(buggy.sort());
  });

  it('stops at its bounds, says which, and does not call an unreached `sometimes` a failure there', () => {
    const result = exhaustive('checkout', 'outbox', { maxStates: 5_000 });
    expect(result.result).toBe('none');
    expect(result.stats.exhaustive).toMatchObject({ exhausted: false, bound: 'max-states', states: 5_000 });
    expect(checkResultLines(result)[1]).toMatch(/^✓ no violation within the bounds/);
    expect(checkResultLines(result)[2]).toMatch(/stopped by --max-states after depth \d+$/);
    expect(exhaustive('inventory', 'fenced', { maxDepth: 5 }).stats.exhaustive).toMatchObject({ bound: 'max-depth', depth: 5, exhausted: false });
  });

  it('stops at --max-memory (resident memory, checked every 1,024 states) and says so', () => {
    const result = exhaustive('inventory', 'fenced', { params: { buyers: 3 }, maxMemoryMb: 1 });
    expect(result.stats.exhaustive).toMatchObject({ bound: 'stopped', stoppedBy: 'max-memory', exhausted: false });
    expect(checkResultLines(result)[2]).toMatch(/stopped by --max-memory after depth \d+$/);
  });

  it('an exhausted search that never reaches a `sometimes` property reports it', () => {
    const result = exhaustive('inventory', 'atomic-decr', { params: { stock: 0 } });
    expect(result.violation?.property).toBe('reaches-sale');
  });
});

describe('clock jumps as choices', () => {
  // Pauses stay under 4 s, the TTL is 5 s: only a forward step of Redis's clock can expire the lock early.
  const budget = { params: { buyers: 2 }, pauses: 1, maxPauseMs: 4_000, jumps: 1 } as const;

  it('no jump of ±500 ms anywhere breaks the naive lock when pauses stay under 4 s (every state visited)', () => {
    const result = exhaustive('inventory', 'naive-lock', { ...budget, maxJumpMs: 500 });
    expect(result.result).toBe('none');
    expect(result.stats.exhaustive).toMatchObject({ exhausted: true, states: 847 });
  });

  it('a jump of ±1500 ms does: Redis steps forward and the lock expires under a 4 s pause', () => {
    const result = exhaustive('inventory', 'naive-lock', { ...budget, maxJumpMs: 1_500 });
    expect(result.violation?.property).toBe('no-oversell');
    expect(result.violation!.steps.some((s) => s.node === 'redis' && s.text === '⏭ clock jumps +1500 ms')).toBe(true);
  });
});

describe('tick mode: time passing as a choice at every state', () => {
  // As in SPIN's classic form of the model: a tick (1 s here) may come between any two steps up to the horizon,
  // so a lock holder is slow without any pause in the budget.
  const ticks = { params: { buyers: 2, stock: 1, ttl: 3_000 }, pauses: 0, crashes: 0, tickMs: 1_000, horizonMs: 8_000 } as const;

  it('proves the fenced lock with ticks up to 8 s (states pinned)', () => {
    const result = exhaustive('inventory', 'fenced', ticks);
    expect(result.result).toBe('none');
    expect(result.stats.exhaustive).toMatchObject({ exhausted: true, states: 8_538, transitions: 20_062 });
  });

  it('breaks the owner-checked lock with ticks alone: the TTL runs out between the read and the write', () => {
    const result = exhaustive('inventory', 'owner-checked', ticks);
    expect(result.violation?.property).toBe('no-oversell');
    expect(result.violation!.decisions).toBe(12);
    expect(result.violation!.replay).toBeTruthy();
    expect(checkResultLines(result)[0]).toMatch(/ticks of 1000 ms up to 8000 ms/);
  });

  it('asks for --tick and --horizon together', () => {
    expect(() => exhaustive('inventory', 'fenced', { tickMs: 1_000 })).toThrow('--tick and --horizon go together');
  });
});

describe('symmetry reduction', () => {
  it('counts states that differ only by which of two identical workers is which once: half the states, same verdict', () => {
    const plain = exhaustive('payment', 'idempotent');
    const reduced = exhaustive('payment', 'idempotent', { symmetry: true });
    expect(plain.stats.exhaustive).toMatchObject({ states: 7_381, symmetry: false });
    expect(reduced.stats.exhaustive).toMatchObject({ states: 3_691, symmetry: true, exhausted: true });
    expect(reduced.result).toBe('none');
    expect(checkResultLines(reduced)[2]).toMatch(/^ {2}3691 states \(up to symmetry\)/);
  });

  it.each([['payment', 'ack-after'], ['payment', 'auto-ack'], ['order-confirm', 'outbox-no-dedupe']])('finds the same shortest counterexample in %s/%s', (scenario, variant) => {
    const plain = exhaustive(scenario, variant);
    const reduced = exhaustive(scenario, variant, { symmetry: true });
    expect(reduced.violation?.property).toBe(plain.violation?.property);
    expect(reduced.violation!.decisions).toBe(plain.violation!.decisions);
    expect(reduced.stats.exhaustive!.states).toBeLessThan(plain.stats.exhaustive!.states);
  });
});

describe('the fingerprint set', () => {
  it('stores each fingerprint once, grows past its first table, and takes at most 32 bytes per state', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 50_000; i++) expect(set.add(fingerprintOf(`state ${i}`))).toBe(true);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(fingerprintOf(`state ${i}`))).toBe(false);
    expect(set.size).toBe(50_000);
    expect(set.bytes / set.size).toBeLessThanOrEqual(22);
  });

  it("an indexed set answers each state's insertion number, in at most 32 bytes per state", () => {
    const set = new FingerprintSet(true);
    for (let i = 0; i < 50_000; i++) expect(set.indexOf(fingerprintOf(`state ${i}`))).toBe(i);
    for (let i = 0; i < 50_000; i += 997) expect(set.indexOf(fingerprintOf(`state ${i}`))).toBe(i);
    expect(set.size).toBe(50_000);
    expect(set.bytes / set.size).toBeLessThanOrEqual(32);
  });
});
