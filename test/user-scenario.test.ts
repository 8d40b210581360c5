// A test written the way a user of the package writes one: everything comes from the package's public entry
// points, by package name, never from its source files.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assign, setup, type AnyStateMachine } from 'xstate';
import {
  always, ask, check, defineScenario, intValue, ModelError, replay, sometimes, UsageError,
  type CommandEvent, type Property, type ReplyEvent, type Variant,
} from 'interleave';
import { clockPlanArbitrary, expectHolds, expectVariantsAsDeclared, expectViolation, scheduleArbitrary } from 'interleave/vitest';

// --- The user's own scenario: page views counted by two web workers. ---------------------------------------

interface CounterContext {
  /** The counter value this worker read. */
  seen: number;
}
type CounterTypes = { context: CounterContext; events: ReplyEvent; emitted: CommandEvent };

/** Buggy: read the counter, then write back what was read plus one. */
const getThenSet = setup({ types: {} as CounterTypes }).createMachine({
  id: 'get-then-set',
  context: { seen: 0 },
  initial: 'read',
  states: {
    read: {
      entry: ask<CounterContext>(() => ['GET', 'views']),
      on: { reply: { target: 'write', actions: assign({ seen: ({ event }) => Number(event.value ?? 0) }) } },
    },
    write: { entry: ask<CounterContext>((c) => ['SET', 'views', c.seen + 1]), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

/** Fixed: one atomic INCR. */
const atomicIncr = setup({ types: {} as CounterTypes }).createMachine({
  id: 'atomic-incr',
  context: { seen: 0 },
  initial: 'increment',
  states: {
    increment: { entry: ask<CounterContext>(() => ['INCR', 'views']), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

const counterProperties: Property[] = [
  always(
    'no-lost-update', 'every finished worker is counted',
    (w) => intValue(w, 'views') >= w.processes.filter((p) => p.status === 'done').length,
    (w) => `views=${intValue(w, 'views')} after ${w.processes.filter((p) => p.status === 'done').length} workers finished`,
  ),
  sometimes('reaches-all-counted', 'every worker finishes and is counted', (w) =>
    w.processes.every((p) => p.status === 'done') && intValue(w, 'views') === w.processes.length),
];

function counterVariant(name: string, expected: Variant['expected'], machine: AnyStateMachine): Variant {
  return {
    name, summary: `${name} increments`, expected,
    build: (params) => ({
      processes: Array.from({ length: params.workers }, (_, i) => ({ name: `W${i + 1}`, machine, input: undefined })),
      setup: [],
      properties: counterProperties,
    }),
  };
}

const pageViews = defineScenario({
  name: 'page-views',
  summary: 'workers count page views in one Redis key',
  source: 'the classic lost update; Redis docs, INCR',
  params: { workers: { default: 2, min: 2, max: 3, description: 'concurrent workers' } },
  variants: [counterVariant('get-then-set', 'violates', getThenSet), counterVariant('incr', 'holds', atomicIncr)],
});

// Small but ample: the lost update needs only an interleaving, no fault.
const quick = { seed: 1, runs: 500 } as const;

describe('a user-defined scenario, checked with check()', () => {
  it('finds the lost update in get-then-set, with a minimal counterexample', () => {
    const result = check(pageViews, { ...quick, variant: 'get-then-set' });
    expect(result.result).toBe('violation');
    expect(result.violation?.property).toBe('no-lost-update');
    expect(result.violation?.message).toBe('views=1 after 2 workers finished');
    // Minimal: both workers read 0 before either writes.
    const commands = result.violation!.steps.map((s) => `${s.node}: ${s.text}`).filter((l) => /GET|SET/.test(l));
    expect(commands).toHaveLength(4);
    expect(commands.filter((l) => l.includes('GET')).every((l) => l.includes('→ nil'))).toBe(true);
    expect(result.violation?.replay).toMatch(/^il1\./);
  });

  it('finds no violation with INCR, and reaches the counted state', () => {
    const result = check(pageViews, { ...quick, variant: 'incr' });
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(500);
  });

  it('is deterministic: same seed, same counterexample', () => {
    const a = check(pageViews, { ...quick, variant: 'get-then-set' });
    const b = check(pageViews, { ...quick, variant: 'get-then-set' });
    expect(b.violation).toEqual(a.violation);
  });

  it('rejects an unknown variant or parameter as a usage error', () => {
    expect(() => check(pageViews, { variant: 'nope' })).toThrow(UsageError);
    expect(() => check(pageViews, { params: { buyers: 2 } })).toThrow(/no parameter 'buyers'/);
  });
});

describe('a user-defined scenario, checked with interleave/vitest', () => {
  it('expectViolation returns the counterexample', () => {
    const result = expectViolation(pageViews, { ...quick, variant: 'get-then-set', property: 'no-lost-update' });
    expect(result.violation.property).toBe('no-lost-update');
  });

  it('expectHolds passes for the fix', () => {
    expect(expectHolds(pageViews, { ...quick, variant: 'incr' }).result).toBe('none');
  });

  it('expectHolds fails for the bug with the whole timeline in the message', () => {
    let message = '';
    try {
      expectHolds(pageViews, { ...quick, variant: 'get-then-set' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('expected page-views / get-then-set to hold, but no-lost-update is violated');
    expect(message).toContain('true ms  clock │ W');
    expect(message).toContain('GET views → nil');
    expect(message).toContain('✗ no-lost-update violated: views=1 after 2 workers finished');
    expect(message).toMatch(/replay: {3}interleave replay il1\./);
    expect(message).toContain('(page-views is not built in, so that command cannot find it; in code: replay(token, { scenarios: [scenario] }))');
  });

  it('expectViolation fails for the fix, and for the wrong property', () => {
    expect(() => expectViolation(pageViews, { ...quick, variant: 'incr' })).toThrow(/but none was found:\n.*\n✓ no violation in 500 schedules/);
    // A sometimes property never reached is a violation too, so it fails an expectation naming another.
    const unreachable = defineScenario({
      ...pageViews,
      variants: [{
        ...counterVariant('incr', 'violates', atomicIncr),
        build: (params, prng) => {
          const instance = counterVariant('incr', 'violates', atomicIncr).build(params, prng);
          return { ...instance, properties: [...instance.properties, sometimes('reaches-ten', 'ten views are counted', (w) => intValue(w, 'views') === 10)] };
        },
      }],
    });
    expect(() => expectViolation(unreachable, { ...quick, property: 'no-lost-update' }))
      .toThrow(/but reaches-ten failed instead:\n[^]*✗ reaches-ten: never reached in 500 schedules/);
  });

  it('expectVariantsAsDeclared checks every variant against its declared expectation', () => {
    expect(expectVariantsAsDeclared(pageViews, quick).map((r) => r.result)).toEqual(['violation', 'none']);
    const mislabelled = defineScenario({ ...pageViews, variants: [counterVariant('get-then-set', 'holds', getThenSet)] });
    expect(() => expectVariantsAsDeclared(mislabelled, quick)).toThrow(/1 of 1 variants did not behave as declared/);
  });
});

describe('replay', () => {
  it('reproduces a built-in counterexample byte for byte', () => {
    const found = expectViolation('inventory', { variant: 'naive-lock', seed: 1, runs: 2000, property: 'no-oversell' });
    const replayed = replay(found.violation.replay!);
    expect(replayed.violation).toEqual(found.violation);
    expect(JSON.stringify(replayed.violation)).toBe(JSON.stringify(found.violation));
  });

  it('reproduces a user scenario counterexample when given the scenario', () => {
    const found = expectViolation(pageViews, { ...quick, variant: 'get-then-set', property: 'no-lost-update' });
    const token = found.violation.replay!;
    expect(replay(token, { scenarios: [pageViews] }).violation).toEqual(found.violation);
    // The token names the scenario; by default only the built-in ones are searched.
    expect(() => replay(token)).toThrow(/unknown scenario 'page-views'/);
  });
});

describe('the re-exported arbitraries', () => {
  it('generate schedules and clock plans within their bounds', () => {
    fc.assert(fc.property(scheduleArbitrary(), clockPlanArbitrary(2, { maxSkewMs: 50, maxDriftPpm: 100 }), (schedule, clocks) => {
      expect(Number.isInteger(schedule) && schedule >= 0).toBe(true);
      expect(clocks.processes).toHaveLength(2);
      expect(clocks.servers).toHaveLength(1);
      for (const c of [...clocks.processes, ...clocks.servers]) {
        expect(Math.abs(c.offset)).toBeLessThanOrEqual(50);
        expect(Math.abs(c.driftPpm)).toBeLessThanOrEqual(100);
      }
    }), { seed: 1, numRuns: 50 });
  });
});

describe('a machine that breaks the command/reply contract', () => {
  it('is a ModelError naming the machine and state, not a hang or a wrong verdict', () => {
    // Waits in `stuck` without emitting a command: nothing could ever wake it.
    const silent = setup({ types: {} as CounterTypes }).createMachine({
      id: 'silent', context: { seen: 0 }, initial: 'stuck', states: { stuck: {} },
    });
    const broken = defineScenario({
      name: 'broken', summary: 'a machine that never asks for anything', source: 'test', params: {},
      variants: [{ name: 'silent', summary: 'waits without a command', expected: 'holds',
        build: () => ({ processes: [{ name: 'A', machine: silent, input: undefined }], setup: [], properties: [] }) }],
    });
    expect(() => check(broken, { runs: 10 })).toThrow(ModelError);
    expect(() => check(broken, { runs: 10 })).toThrow(/silent: state .*stuck.* waits but emits no command/);
  });
});
