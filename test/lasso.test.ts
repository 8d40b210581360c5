// Liveness on runs that never end (issue 4): exhaustive search records the graph of same-instant steps and
// looks for a fair lasso — a cycle a run can go round for ever, on which an `eventually` property stays unmet,
// and which starves nobody who could act (weak fairness, time included). A client that polls for a flag nobody
// will ever set spins for ever; one that polls while another is about to set it, or while time has something
// to bring, is only unlucky in an unfair schedule.
import { describe, expect, it } from 'vitest';
import { ask, check, defineScenario, protocolSetup, replay, type ProcessSpec, type ReplyEvent } from 'interleave';
import { checkResultLines } from '../src/report/text.ts';
import { LOOP_MARK } from '../src/check/counterexample.ts';

type Empty = Record<string, never>;

/** Busy-waits: GET go, again and again at once, until it is set. */
const poller = protocolSetup<Empty>().createMachine({
  context: ({ input }) => input,
  initial: 'poll',
  states: {
    poll: {
      entry: ask<Empty>(() => ['GET', 'go']),
      on: { reply: [{ guard: ({ event }: { event: ReplyEvent }) => event.value !== null, target: 'done' }, { target: 'poll', reenter: true }] },
    },
    done: { type: 'final' },
  },
});

/** Sets go, after sleeping `ms` (0: at once). */
const setter = (ms: number) => protocolSetup<Empty>().createMachine({
  context: ({ input }) => input,
  initial: ms > 0 ? 'sleep' : 'set',
  states: {
    sleep: { entry: ask<Empty>(() => ['SLEEP', ms]), on: { reply: 'set' } },
    set: { entry: ask<Empty>(() => ['SET', 'go', 1]), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

const scenario = (name: string, others: ProcessSpec[]) => defineScenario({
  name, summary: 'a client busy-waits for a flag', source: 'test', params: {}, faults: { pauses: 0, crashes: 0 },
  variants: [{
    name: 'poll', summary: '', expected: 'holds',
    build: () => ({ processes: [{ name: 'P', machine: poller, input: {} }, ...others], setup: [], properties: [] }),
  }],
});

describe('fair lassos in exhaustive search', () => {
  it('finds the client that spins for ever on a flag nobody sets, and the lasso replays', () => {
    const spinning = scenario('spins-alone', []);
    const result = check(spinning, { mode: 'exhaustive' });
    expect(result.violation?.property).toBe('no-deadlock');
    expect(result.violation!.loopsFrom).toBe(1);
    expect(result.violation!.message).toBe('from ∞ on the run repeats for ever, and it never holds');
    expect(result.violation!.steps.map((s) => s.text)).toEqual(['arrives', 'GET go → nil', LOOP_MARK, 'GET go → nil']);
    expect(checkResultLines(result).join('\n')).toContain(LOOP_MARK);
    expect(replay(result.violation!.replay!, { scenarios: [spinning] }).violation).toEqual(result.violation);
  });

  it('a cycle that starves a process ready to act is not a counterexample (weak fairness)', () => {
    const result = check(scenario('setter-ready', [{ name: 'Q', machine: setter(0), input: {} }]), { mode: 'exhaustive' });
    expect(result.result).toBe('none');
    expect(result.stats.exhaustive).toMatchObject({ exhausted: true });
  });

  it('nor is one that keeps time from passing while a sleep is due (no run is stuck at one instant)', () => {
    const result = check(scenario('setter-asleep', [{ name: 'Q', machine: setter(100), input: {} }]), { mode: 'exhaustive' });
    expect(result.result).toBe('none');
  });

  it('random search cannot tell a loop from a long run: it counts the run as not judged', () => {
    const result = check(scenario('spins-alone-random', []), { runs: 3 });
    expect(result.result).toBe('none');
    expect(result.stats.unjudged).toBe(3);
  });
});
