// Scale (issue 4): a check on worker threads (`threads`, `--threads N`) or split in shards (`--shard I/N`, then
// `interleave merge`) gives exactly the result of one check on one thread — the same counts, the same `sometimes`
// reached, the same counterexample and replay token — in random, PCT and exhaustive search. Only wall time and
// speed may differ.
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign } from 'xstate';
import { ask, check, checkShard, defaultFaults, defineScenario, inventory, mergeShards, protocolSetup, type CheckOptions, type CheckResult } from '../src/index.ts';
import { runCli } from './cli-harness.ts';
import { prepare, runSetup } from '../src/check/prepare.ts';
import { fixedClockPlan } from '../src/check/arbitraries.ts';
import { exploreExhaustive } from '../src/check/exhaustive.ts';
import { searchLevels } from '../src/check/parallel/level-search.ts';
import { Participant } from '../src/check/parallel/worker.ts';

/** A result without what depends on the wall clock. */
function timeless(result: CheckResult) {
  const { elapsedMs: _elapsed, schedulesPerSecond: _speed, ...stats } = result.stats;
  return { ...result, stats };
}

/** The result of merging `count` shards of the check, each passed through JSON as a file would be. */
function sharded(scenario: string, options: CheckOptions, count: number): CheckResult {
  const shards = Array.from({ length: count }, (_, i) => JSON.parse(JSON.stringify(checkShard(scenario, options, { index: i + 1, count }))));
  return mergeShards(shards);
}

/** Each case with what its single-thread result must show, so that "the same" is never the same nothing. */
const cases: [label: string, scenario: string, options: CheckOptions, shows: object][] = [
  ['random, a buggy variant', 'inventory', { variant: 'naive-lock' }, { violation: { property: 'no-oversell' } }],
  ['random, a lesser property broken: the search goes on for the headline', 'payment', { variant: 'auto-ack' }, { violation: { property: 'no-lost-order' }, stats: { schedules: 500, foundAt: 4 } }],
  ['PCT, a buggy variant', 'order-confirm', { variant: 'outbox-no-dedupe', mode: 'pct', seed: 2 }, { violation: { property: 'no-duplicate-confirmation' } }],
  ['random, a fixed variant', 'inventory', { variant: 'fenced', runs: 3_000 }, { result: 'none', stats: { schedules: 3_000 } }],
  ['PCT, a fixed variant', 'payment', { variant: 'idempotent', mode: 'pct', runs: 2_000 }, { result: 'none', reached: ['reaches-charge'] }],
  ['exhaustive, a proof', 'payment', { variant: 'idempotent', mode: 'exhaustive' }, { stats: { exhaustive: { states: 7_381, transitions: 13_394, exhausted: true } } }],
  ['exhaustive, a proof with 2 buyers', 'inventory', { variant: 'fenced', mode: 'exhaustive', params: { buyers: 2 } }, { stats: { exhaustive: { states: 13_299, exhausted: true } } }],
  ['exhaustive, a proof of one safety property (shards merge their states: no lasso to look for)', 'inventory', { variant: 'fenced', mode: 'exhaustive', params: { buyers: 2 }, property: 'no-oversell' }, { checked: ['no-oversell'], stats: { exhaustive: { exhausted: true } } }],
  ['exhaustive, a counterexample', 'inventory', { variant: 'owner-checked', mode: 'exhaustive' }, { violation: { property: 'no-oversell' } }],
  ['exhaustive, a counterexample under symmetry', 'payment', { variant: 'ack-after', mode: 'exhaustive', symmetry: true }, { violation: { property: 'no-duplicate-charge' } }],
  ['exhaustive, stopped by --max-states inside a level', 'inventory', { variant: 'naive-lock', mode: 'exhaustive', maxStates: 700 }, { violation: { property: 'mutual-exclusion' }, stats: { exhaustive: { states: 700, bound: 'max-states' } } }],
  ['exhaustive, stopped by --max-depth', 'inventory', { variant: 'fenced', mode: 'exhaustive', maxDepth: 7 }, { stats: { exhaustive: { depth: 7, bound: 'max-depth' } } }],
];

describe.each(cases)('%s', (_, scenario, options, shows) => {
  let alone: CheckResult;
  beforeAll(() => {
    alone = check(scenario, options);
  });

  it('alone, shows what the case is about', () => {
    expect(alone).toMatchObject(shows);
  });

  it.each([2, 3])('is the same on %i threads', (threads) => {
    expect(timeless(check(scenario, { ...options, threads }))).toEqual(timeless(alone));
  });

  it.each([2, 3])('is the same in %i shards, merged', (count) => {
    expect(timeless(sharded(scenario, options, count))).toEqual(timeless(alone));
  });
});

describe('a time bound', () => {
  it('stops the threads too, and says so', () => {
    const result = check('inventory', { variant: 'fenced', mode: 'exhaustive', params: { buyers: 3 }, maxTimeMs: 1, threads: 2 });
    expect(result.stats.exhaustive).toMatchObject({ bound: 'stopped', exhausted: false });
  });
});

describe('the parallel breadth-first search itself, with participants in this thread', () => {
  // A client busy-waits for a flag nobody sets, beside four that count and finish — enough interleavings for the
  // levels to be shared out: the run never ends, a fair lasso on which no-deadlock never holds. (A scenario of
  // one's own cannot go to worker threads, which find scenarios by name.)
  const poller = protocolSetup<Record<string, never>>().createMachine({
    context: ({ input }) => input,
    initial: 'poll',
    states: {
      poll: { entry: ask(() => ['GET', 'go']), on: { reply: [{ guard: ({ event }) => event.value !== null, target: 'done' }, { target: 'poll', reenter: true }] } },
      done: { type: 'final' },
    },
  });
  const counter = protocolSetup<{ left: number }>().createMachine({
    context: () => ({ left: 4 }),
    initial: 'count',
    states: {
      count: { entry: ask(() => ['INCR', 'n']), on: { reply: [{ guard: ({ context }) => context.left <= 1, target: 'done' }, { target: 'count', reenter: true, actions: assign({ left: ({ context }) => context.left - 1 }) }] } },
      done: { type: 'final' },
    },
  });
  const counters = ['A', 'B', 'C', 'D'].map((name) => ({ name, machine: counter, input: {} }));
  const spinning = defineScenario({
    name: 'spins', summary: 'a client busy-waits for a flag', source: 'test', params: {}, faults: { pauses: 0, crashes: 0 },
    variants: [{ name: 'poll', summary: '', expected: 'holds', build: () => ({ processes: [{ name: 'P', machine: poller, input: {} }, ...counters], setup: [], properties: [] }) }],
  });

  it.each([2, 3])('finds the very lasso one thread finds, with %i participants', (count) => {
    const prepared = prepare(spinning, spinning.variants[0], {}, 1);
    const properties = prepared.instance.properties;
    const setup = runSetup(prepared, fixedClockPlan(5, 1), defaultFaults(spinning));
    const bounds = { maxDepth: 60, maxStates: 100_000 };
    const participants = Array.from({ length: count }, () => new Participant(() => ({ prepared, properties })));
    const job = { scenario: spinning.name, variant: 'poll', params: {}, seed: 1, properties: properties.map((p) => p.name) };
    const alone = exploreExhaustive(setup, properties, bounds);
    expect(alone.found?.loopsFrom).toBeGreaterThan(0);
    expect(alone.states).toBeGreaterThan(64 * count); // so the levels are shared out
    expect(searchLevels(job, setup, properties, bounds, count, (requestFor) => participants.map((p, i) => p.answer(requestFor(i))))).toEqual(alone);
  });
});

describe('shards split the work', () => {
  it('each random shard runs only its own samples, and together they run the search\'s', () => {
    const options = { variant: 'fenced', runs: 3_000 } as const;
    const parts = [1, 2, 3].map((index) => checkShard('inventory', options, { index, count: 3 }).part);
    const ran = parts.map((part) => (part.mode === 'random' ? Buffer.from(part.outcomes, 'base64').length : 0));
    expect(ran.every((n) => n > 0 && n < 3_000)).toBe(true);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(check('inventory', options).stats.schedules);
  });
});

describe('refusals', () => {
  it('threads need a built-in scenario: a thread finds the scenario again by name', () => {
    expect(() => check({ ...inventory, name: 'my-inventory' }, { variant: 'naive-lock', threads: 2 })).toThrow(/only built-in scenarios/);
    expect(() => check('inventory', { threads: 0 })).toThrow(/--threads must be a positive integer/);
  });

  it('merge refuses shards of different checks, a missing shard, a shard given twice', () => {
    const one = checkShard('inventory', { variant: 'naive-lock' }, { index: 1, count: 2 });
    const two = checkShard('inventory', { variant: 'naive-lock' }, { index: 2, count: 2 });
    const otherSeed = checkShard('inventory', { variant: 'naive-lock', seed: 2 }, { index: 2, count: 2 });
    expect(() => mergeShards([one, otherSeed])).toThrow(/not of one check: option seed: not given vs 2/);
    expect(() => mergeShards([one])).toThrow(/shard 2\/2 is missing/);
    expect(() => mergeShards([one, one, two])).toThrow(/shard 1\/2 is given twice/);
    expect(() => checkShard('inventory', {}, { index: 3, count: 2 })).toThrow(/--shard must be I\/N with 1 ≤ I ≤ N/);
  });
});

describe('on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-test-shards-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = runCli;

  it('check --shard I/N prints each shard; merge prints the report of one check, with its exit code', () => {
    const files = [1, 2].map((index) => {
      const shard = run('check', 'payment', '--variant', 'ack-after', '--shard', `${index}/2`);
      expect(shard.code).toBe(0);
      const file = join(dir, `shard-${index}.json`);
      writeFileSync(file, shard.out);
      return file;
    });
    const merged = run('merge', ...files);
    const alone = run('check', 'payment', '--variant', 'ack-after');
    expect(merged.code).toBe(1);
    expect(merged.out).toBe(alone.out);
    expect(run('check', 'payment', '--variant', 'ack-after', '--threads', '2').out).toBe(alone.out);
    expect(JSON.parse(readFileSync(files[0], 'utf8')).shard).toEqual({ index: 1, count: 2 });
  });

  it.each([
    [['merge'], /merge needs the files of every shard/],
    [['merge', '/nonexistent/interleave-test-shard.json'], /cannot read/],
    [['check', 'inventory', '--shard', 'half'], /--shard needs I\/N/],
    [['check', 'inventory', '--shard', '1/2', '--threads', '2'], /--shard and --threads do not go together/],
    [['check', '--all', '--shard', '1/2'], /--all takes no SCENARIO, no --variant and no --shard/],
  ])('bad input %j: one line on stderr, exit 2', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
