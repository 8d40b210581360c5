// Clocks as explored choices (issue 4): exhaustive search chooses every node's offset and drift from bounded sets
// at the start of a run, and `threshold` bisects a bound over exhaustive searches. The clock-skew scenario's
// timestamp lock breaks only when two clients' clocks are more than the timeout apart.
import { describe, expect, it } from 'vitest';
import { check, replay, threshold } from '../src/index.ts';
import { runCli } from './cli-harness.ts';
import { decodeToken } from '../src/check/replay-token.ts';

const exhaustive = (scenario: string, variant: string, extra: Parameters<typeof check>[1] = {}) => check(scenario, { variant, mode: 'exhaustive', ...extra });

describe('clock offsets and drift as choices of exhaustive search', () => {
  it('a counterexample carries the clocks the search chose, and replays from its token', () => {
    const result = exhaustive('clock-skew', 'timestamp-lock', { maxSkewMs: 3_000 });
    expect(result.violation?.property).toBe('no-oversell');
    const token = decodeToken(result.violation!.replay!);
    // A runs 3 s behind, B 3 s ahead: 6 s apart, more than the 5 s timeout.
    expect(token.clocks.processes.map((c) => c.offset)).toEqual([-3_000, 3_000]);
    expect(token.actions.every((a) => a.kind !== 'clock')).toBe(true);
    expect(replay(result.violation!.replay!).violation.property).toBe('no-oversell');
  });

  it('with perfect clocks the timestamp lock holds; the server-TTL lock holds under any offset', () => {
    expect(exhaustive('clock-skew', 'timestamp-lock', { maxSkewMs: 0 }).result).toBe('none');
    const serverTtl = exhaustive('clock-skew', 'server-ttl', { maxSkewMs: 10_000, maxDriftPpm: 1_000 });
    expect(serverTtl.result).toBe('none');
    expect(serverTtl.stats.exhaustive).toMatchObject({ exhausted: true, states: 32_896 });
  });

  it('chooses a clock per node from {−max, 0, +max}: more states, and pinned', () => {
    const perfect = exhaustive('order-create', 'idempotency-key').stats.exhaustive!;
    const skewed = exhaustive('order-create', 'idempotency-key', { maxSkewMs: 500 });
    expect(perfect.states).toBe(45);
    expect(skewed.result).toBe('none');
    expect(skewed.stats.exhaustive).toMatchObject({ exhausted: true, states: 1_228 });
  });

  it('a fixed clock is not chosen', () => {
    const result = exhaustive('clock-skew', 'timestamp-lock', { maxSkewMs: 3_000, clocks: { A: { offset: 0, driftPpm: 0, jumps: [] } } });
    // With A fixed at 0, B must run more than 5001 ms ahead, beyond ±3000.
    expect(result.result).toBe('none');
  });
});

describe('threshold', () => {
  it('finds the least skew at which the timestamp lock breaks: half the timeout, as two clocks drift apart both ways', () => {
    const found = threshold('clock-skew', { variant: 'timestamp-lock', bound: 'max-skew' });
    expect(found).toMatchObject({ outcome: 'found', threshold: 2_501 });
    const below = found.probes.find((p) => p.value === 2_500)!;
    expect(below).toMatchObject({ result: 'none', exhausted: true });
    expect(found.check.violation?.property).toBe('no-oversell');
    expect(threshold('clock-skew', { variant: 'timestamp-lock', bound: 'max-skew', params: { ttl: 2_000 } }).threshold).toBe(1_001);
  });

  it('says so when the variant holds over the whole range', () => {
    expect(threshold('clock-skew', { variant: 'server-ttl', bound: 'max-skew' })).toMatchObject({ outcome: 'holds', threshold: null });
  });

  it('finds the pause length past which the owner-checked lock oversells: the TTL', () => {
    const found = threshold('inventory', { variant: 'owner-checked', bound: 'max-pause', params: { buyers: 2 }, pauses: 1, to: 8_000 });
    expect(found).toMatchObject({ outcome: 'found', threshold: 5_001 });
  });
});

describe('interleave threshold', () => {
  const run = runCli;

  it('prints the probes, the threshold and its counterexample; exit 1', () => {
    const r = run('threshold', 'clock-skew', '--variant', 'timestamp-lock', '--bound', 'max-skew', '--to', '4000');
    expect(r.code).toBe(1);
    expect(r.out).toContain('The least failing --max-skew is 2501: it holds at 2500');
    expect(r.out).toContain('GETSET lock:stock');
  });

  it('bad input is one line and exit 2', () => {
    expect(run('threshold', 'clock-skew').err).toBe('interleave: threshold needs --bound (max-skew, max-drift, max-jump or max-pause)\n');
    expect(run('threshold', 'clock-skew', '--bound', 'ttl').code).toBe(2);
    expect(run('threshold', 'clock-skew', '--bound', 'max-skew', '--from', '9', '--to', '3').code).toBe(2);
  });
});
