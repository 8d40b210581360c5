import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { runCli } from './cli-harness.ts';

const run = runCli;


describe('interleave command', () => {
  it('exit 1 and a timeline when a violation is found', () => {
    const r = run('check', 'inventory', '--variant', 'naive-lock');
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ no-oversell violated');
    expect(r.out).toContain('replay:   interleave replay il1.');
  });

  it('exit 0 when none is found', () => {
    const r = run('check', 'inventory', '--variant', 'atomic-decr', '--runs', '500');
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ no violation in 500 schedules');
  });

  it('--json prints one object of the documented shape', () => {
    const r = run('check', 'inventory', '--variant', 'naive-lock', '--json');
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['scenario', 'variant', 'seed', 'runs', 'result', 'violation', 'stats']));
    expect(json.result).toBe('violation');
    expect(Object.keys(json.violation)).toEqual(expect.arrayContaining(['property', 'steps', 'replay']));
    expect(Object.keys(json.stats)).toEqual(expect.arrayContaining(['schedules', 'schedulesPerSecond']));
  });

  it('replay reproduces the counterexample and exits 1', () => {
    const checked = run('check', 'inventory', '--variant', 'naive-lock');
    const token = /interleave replay (\S+)/.exec(checked.out)![1];
    const replayed = run('replay', token);
    expect(replayed.code).toBe(1);
    expect(checked.out.startsWith(replayed.out)).toBe(true);
  });

  it('check --all --json prints one result per variant, with what was expected', () => {
    const r = run('check', '--all', '--runs', '300', '--json');
    const results = JSON.parse(r.out) as { scenario: string; variant: string; expected: string; result: string }[];
    expect(results.map((x) => `${x.scenario}/${x.variant}`)).toContain('inventory/naive-lock');
    expect(results.every((x) => ['violates', 'holds'].includes(x.expected) && ['violation', 'none'].includes(x.result))).toBe(true);
    expect(r.code).toBe(results.every((x) => (x.result === 'violation') === (x.expected === 'violates')) ? 0 : 1);
  });

  it('list shows every scenario and variant, one line each', () => {
    const r = run('list');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/inventory .*\n {2}no-lock/);
    expect(JSON.parse(run('list', '--json').out).map((s: { name: string }) => s.name)).toEqual(['inventory', 'order-create', 'payment', 'order-confirm', 'checkout', 'redlock', 'clock-skew']);
  });

  it.each([
    [['check', 'nowhere'], /unknown scenario 'nowhere'/],
    [['check', 'inventory', '--variant', 'nope'], /no variant 'nope'/],
    [['check', 'inventory', '--buyers', 'many'], /--buyers needs an integer/],
    [['check', 'inventory', '--buyers', '99'], /--buyers must be an integer from 1 to 8/],
    [['check', 'order-create', '--stock', '2'], /has no parameter 'stock'/],
    [['check', 'inventory', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['check', 'inventory', '--property', 'nonsense'], /no property 'nonsense'/],
    [['replay', 'garbage'], /not a valid replay token/],
    [['dance'], /unknown command 'dance'/],
  ])('bad input %j: one line on stderr, exit 2', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('runs as an installed binary, with no stack trace on bad input', () => {
    const ok = execFileSync('node', ['bin/interleave.js', 'list'], { encoding: 'utf8' });
    expect(ok).toContain('inventory');
    const bad = spawnSync('node', ['bin/interleave.js', 'check', 'inventory', '--runs', '0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('interleave: --runs must be a positive integer, got 0\n');
  });
});
