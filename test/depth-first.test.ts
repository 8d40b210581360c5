// Exhaustive search in depth-first order (issue 4: `--order depth`, SPIN's order): when complete it visits the same
// states and takes the same transitions as breadth-first order, reaches the same `sometimes` properties and gives
// the same verdict; a violation it meets is shortened to the counterexample breadth-first order reports; on two
// threads (one shared table of visited states) the counts and the counterexample are those of one; and what it
// does not judge — runs that never end — it says.
import { describe, expect, it } from 'vitest';
import { check, type CheckOptions, type CheckResult } from '../src/index.ts';
import { checkShard } from '../src/api/shard.ts';
import { checkResultLines } from '../src/report/text.ts';
import { runCli } from './cli-harness.ts';

const search = (scenario: string, variant: string, options: CheckOptions = {}) => check(scenario, { variant, mode: 'exhaustive', ...options });

/** What both orders must agree on when the search is complete: everything but the order, the depth and the table. */
function agreed(result: CheckResult) {
  const { states, transitions, exhausted, bound, symmetry } = result.stats.exhaustive!;
  return { result: result.result, reached: result.reached, states, transitions, exhausted, bound, symmetry, replay: result.violation?.replay ?? null };
}

describe('depth-first order', () => {
  it.each([
    ['inventory', 'atomic-decr', {}, 113],
    ['inventory', 'fenced', { params: { buyers: 2 } }, 13_299],
    ['inventory', 'fenced', { params: { buyers: 2 }, symmetry: true }, null],
    ['payment', 'idempotent', {}, 7_381],
    ['order-confirm', 'outbox', { params: { workers: 1 } }, 17_539],
    ['clock-skew', 'server-ttl', {}, null],
  ] as const)('proves %s/%s %j: the states, transitions and `sometimes` reached of breadth-first order', (scenario, variant, options, states) => {
    const breadth = search(scenario, variant, options);
    const depth = search(scenario, variant, { ...options, order: 'depth' });
    expect(depth.result).toBe('none');
    expect(depth.stats.exhaustive).toMatchObject({ order: 'depth', exhausted: true, ...(states === null ? {} : { states }) });
    expect(agreed(depth)).toEqual(agreed(breadth));
  });

  it.each([
    ['inventory', 'naive-lock', {}],
    ['inventory', 'owner-checked', {}],
    ['payment', 'ack-after', {}],
    ['payment', 'dedupe-expiry', {}],
    ['order-create', 'naive-lock', {}],
    ['order-confirm', 'confirms-retry', { pauses: 0, losses: 0 }],
    ['clock-skew', 'timestamp-lock', {}],
  ] as const)('meets the violation of %s/%s and reports the shortest counterexample, as breadth-first order does', (scenario, variant, options) => {
    const breadth = search(scenario, variant, options);
    const depth = search(scenario, variant, { ...options, order: 'depth' });
    expect(breadth.violation).not.toBeNull();
    expect(depth.stats.exhaustive).toMatchObject({ order: 'depth', shortest: true });
    expect(agreed(depth)).toEqual(agreed(breadth));
    expect(checkResultLines(depth).at(-1)).toContain('a shortest counterexample: met by depth-first search, shortened by breadth-first search');
  });

  it('when breadth-first search for a shorter one stops at a bound, shrinks what it met and says it may not be a shortest', () => {
    const result = search('order-confirm', 'auto-ack', { order: 'depth', maxStates: 3_000 });
    expect(result.violation).toMatchObject({ property: 'no-lost-order' });
    expect(result.stats.exhaustive).toMatchObject({ shortest: false, bound: 'max-states', states: 3_000 });
    // The shortest is 10 decisions (breadth-first, pinned in exhaustive.test.ts under a smaller budget); the
    // path met depth-first is longer, and shrinking takes it down to a 1-minimal one.
    expect(result.violation!.decisions).toBeLessThanOrEqual(12);
    expect(checkResultLines(result).at(-1)).toContain('maybe not a shortest');
  });

  it('says that runs that never end were not judged, where an `eventually` property could fail on one', () => {
    const result = search('inventory', 'fenced', { order: 'depth', params: { buyers: 2 } });
    expect(result.stats.exhaustive).toMatchObject({ cyclesJudged: false });
    expect(checkResultLines(result).at(-1)).toBe('  not judged: runs that never end (a loop at one instant with an `eventually` property unmet), which depth-first order does not look for');
    const safety = search('inventory', 'fenced', { order: 'depth', params: { buyers: 2 }, property: 'no-oversell' });
    expect(safety.stats.exhaustive).toMatchObject({ cyclesJudged: true });
    expect(search('inventory', 'fenced', { params: { buyers: 2 } }).stats.exhaustive).toMatchObject({ cyclesJudged: true });
  });

  it('is no proof when --max-depth cuts it, and stops at --max-states exactly', () => {
    expect(search('inventory', 'fenced', { order: 'depth', maxDepth: 7 }).stats.exhaustive).toMatchObject({ exhausted: false, bound: 'max-depth' });
    expect(search('inventory', 'fenced', { order: 'depth', maxStates: 5_000 }).stats.exhaustive).toMatchObject({ exhausted: false, bound: 'max-states', states: 5_000 });
  });

  it('takes no --shard (shards split breadth-first levels), and names the orders on a wrong one', () => {
    expect(() => checkShard('inventory', { variant: 'fenced', mode: 'exhaustive', order: 'depth' }, { index: 1, count: 2 })).toThrow('--shard splits a breadth-first search by its levels');
    const wrong = runCli('check', 'inventory', '--mode', 'exhaustive', '--order', 'sideways');
    expect(wrong).toMatchObject({ code: 2, out: '' });
    expect(wrong.err.trim()).toBe("interleave: --order must be one of breadth, depth, got 'sideways'");
  });
});

describe('depth-first order on two threads, one shared table', () => {
  it.each([
    ['a proof', 'inventory', 'fenced', {}],
    ['a proof under symmetry', 'payment', 'idempotent', { symmetry: true }],
    ['a counterexample', 'inventory', 'naive-lock', {}],
    ['a lesser property broken: the search goes on for the headline', 'payment', 'auto-ack', {}],
  ] as const)('%s (%s/%s): the counts, `sometimes` reached and counterexample of one thread', (_, scenario, variant, options) => {
    const one = search(scenario, variant, { ...options, order: 'depth' });
    const two = search(scenario, variant, { ...options, order: 'depth', threads: 2 });
    expect(agreed(two)).toEqual(agreed(one));
    expect(one.stats.exhaustive!.states).toBeGreaterThan(1_000);
  });
});
