// Redlock (issue 4): Kleppmann's two counterexamples, reproduced on five Redis instances with clocks of their
// own — a pause past the validity, and a clock jump on one instance that expires its key early — and the fix
// that holds against both: fencing tokens checked by the store.
import { describe, expect, it } from 'vitest';
import { check, replay } from '../src/index.ts';

/** Instance 3's clock steps 10 s ahead at t=1 (an NTP correction), and a 1 ms network delay lets time pass. */
const jumpOnInstance3 = { pauses: 1, maxPauseMs: 100, clocks: { 'redis-3': { offset: 0, driftPpm: 0, jumps: [{ at: 1, by: 10_000 }] } } };

describe('redlock', () => {
  it('a pause past the validity: two buyers hold a majority and the last unit sells twice', () => {
    const result = check('redlock', { variant: 'redlock' });
    expect(result.search.mode).toBe('pct');
    expect(result.violation?.property).toBe('no-oversell');
    expect(result.violation!.steps.some((s) => s.text.startsWith('‖ pauses for'))).toBe(true);
    expect(replay(result.violation!.replay!).violation.steps).toEqual(result.violation!.steps);
  });

  it('a clock jump on one instance: its key expires early and a second buyer wins three instances too', () => {
    const result = check('redlock', { variant: 'redlock', ...jumpOnInstance3 });
    expect(result.violation?.property).toBe('no-oversell');
    const lanes = new Set(result.violation!.steps.map((s) => s.node));
    expect(lanes.has('redis-3')).toBe(true);
    expect(result.violation!.steps.some((s) => s.node === 'redis-3' && s.text === '⏭ clock jumps +10000 ms')).toBe(true);
  });

  it('with a budget of one jump and no clock fixed, the search finds an instance whose step breaks Redlock', () => {
    const result = check('redlock', { variant: 'redlock', pauses: 0, jumps: 1 });
    expect(result.violation?.property).toBe('no-oversell');
    expect(result.violation!.steps.some((s) => /^redis-\d$/.test(s.node) && s.text === '⏭ clock jumps +10000 ms')).toBe(true);
  });

  it('without the jump, the same 1 ms delays break nothing', () => {
    expect(check('redlock', { variant: 'redlock', pauses: 1, maxPauseMs: 100, runs: 5_000 }).result).toBe('none');
  });

  it('fencing tokens hold against the pause, and against the jump in every schedule', () => {
    expect(check('redlock', { variant: 'redlock-fenced' }).result).toBe('none');
    const proof = check('redlock', { variant: 'redlock-fenced', ...jumpOnInstance3, mode: 'exhaustive' });
    expect(proof.result).toBe('none');
    expect(proof.stats.exhaustive).toMatchObject({ exhausted: true, states: 62_696 });
    expect(proof.reached).toContain('reaches-stale-rejected');
  });

  it('the minimised pause counterexample is as short as the shortest one, found breadth-first', () => {
    const shortest = check('redlock', { variant: 'redlock', mode: 'exhaustive', maxTimeMs: 60_000 });
    expect(shortest.violation?.property).toBe('no-oversell');
    expect(check('redlock', { variant: 'redlock' }).violation!.decisions).toBe(shortest.violation!.decisions);
  });
});
