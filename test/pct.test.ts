// PCT search (issue 4): it finds every canonical bug, holds where the fixes hold, is as deterministic as random
// search, and behaves as the algorithm says: with depth 1 no lane is ever preempted, so two buyers without a
// lock run one after the other and never oversell; depth 2 allows the one preemption the oversell needs.
import { describe, expect, it } from 'vitest';
import { check, scenarios } from '../src/index.ts';
import { checkResultLines } from '../src/report/text.ts';

const buggy = scenarios.flatMap((scenario) => scenario.variants.filter((v) => v.expected === 'violates').map((v) => [`${scenario.name}/${v.name}`, scenario, v.name] as const));

describe('PCT', () => {
  it.each(buggy)('finds the bug of %s', (_, scenario, variant) => {
    const result = check(scenario, { variant, mode: 'pct' });
    expect(result.result).toBe('violation');
    expect(result.search).toEqual({ mode: 'pct', depth: 3 });
  });

  it.each([['inventory', 'fenced'], ['payment', 'idempotent'], ['order-confirm', 'outbox'], ['checkout', 'outbox']])('finds nothing in %s/%s', (scenario, variant) => {
    const result = check(scenario, { variant, mode: 'pct', runs: 20_000 });
    expect(result.result).toBe('none');
  });

  it('depth 1 never preempts: two unlocked buyers run one after the other and never oversell', () => {
    const options = { variant: 'no-lock', mode: 'pct', pauses: 0, params: { buyers: 2 }, runs: 2_000 } as const;
    const sequential = check('inventory', { ...options, depth: 1 });
    expect(sequential.result).toBe('none');
    expect(sequential.reached).toContain('reaches-sale');
    expect(check('inventory', { ...options, depth: 2 }).violation?.property).toBe('no-oversell');
  });

  it('prints the same bytes for the same seed, and says how it searched', () => {
    const lines = () => checkResultLines(check('payment', { variant: 'ack-after', mode: 'pct', seed: 7 }));
    expect(lines()).toEqual(lines());
    expect(lines().at(-1)).toMatch(/^ {2}\(found by PCT \(depth 3\) in schedule \d+/);
  });

  it('refuses an unknown mode or a depth below 1', () => {
    expect(() => check('inventory', { mode: 'bfs' as never })).toThrow(/--mode must be one of random, pct/);
    expect(() => check('inventory', { mode: 'pct', depth: 0 })).toThrow(/--depth must be a positive integer/);
  });
});
