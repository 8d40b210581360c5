// No deadlock (issue 4): every check also asks, of each run that is over, whether a process that is not a
// service was left waiting forever. A shopper's request that awaits a reply nobody sends is stuck; the same
// machine run as a service (restarted by a supervisor, waiting for work) is merely idle.
import { describe, expect, it } from 'vitest';
import { ask, AWAITING, check, consumerSetup, defineScenario, protocolSetup, type ProtocolEvent } from 'interleave';
import { checkResultLines } from '../src/report/text.ts';

/** Subscribes to `replies` and waits for one message, which nobody publishes. */
const waiter = consumerSetup<{ tag: number }>().createMachine({
  context: ({ input }) => input,
  initial: 'subscribe',
  states: {
    subscribe: { entry: ask<{ tag: number }, ProtocolEvent>(() => ['AMQP.CONSUME', 'replies', 1, 0]), on: { reply: 'waiting' } },
    waiting: { tags: [AWAITING], on: { delivery: 'done' } },
    done: { type: 'final' },
  },
});

const scenario = (service: boolean) => defineScenario({
  name: 'waits-for-a-reply', summary: 'a process awaits a reply nobody sends', source: 'test', params: {},
  variants: [{
    name: service ? 'as-a-service' : 'as-a-request', summary: '', expected: service ? 'holds' : 'violates',
    build: () => ({ processes: [{ name: 'shop', machine: waiter, input: { tag: 0 }, restart: service }], queues: [{ name: 'replies' }], setup: [], properties: [] }),
  }],
});

describe('no-deadlock', () => {
  it.each(['random', 'exhaustive'] as const)('finds the request left waiting forever (%s search)', (mode) => {
    const result = check(scenario(false), { mode });
    expect(result.violation?.property).toBe('no-deadlock');
    expect(result.violation!.message).toBe('nothing more can happen, and shop never finished');
    expect(result.checked).toEqual(['no-deadlock']);
  });

  it('does not blame a service for waiting for work', () => {
    expect(check(scenario(true), { mode: 'exhaustive' }).result).toBe('none');
  });
});

/** Polls forever: sleeps a second, and again. Its runs never end. */
const poller = protocolSetup<{ polls: number }>().createMachine({
  context: ({ input }) => input,
  initial: 'sleep',
  states: {
    sleep: { entry: ask<{ polls: number }>(() => ['SLEEP', 1000]), on: { reply: 'again' } },
    again: { entry: ask<{ polls: number }>(() => ['SLEEP', 1000]), on: { reply: 'sleep' } },
  },
});

const forever = defineScenario({
  name: 'polls-forever', summary: 'a process that never finishes', source: 'test', params: {},
  variants: [{
    name: 'poller', summary: '', expected: 'holds',
    build: () => ({ processes: [{ name: 'P', machine: poller, input: { polls: 0 } }], setup: [], properties: [] }),
  }],
});

describe('liveness is never silently passed', () => {
  it('a run cut off before it is over leaves its `eventually` properties not judged, and the report says so', () => {
    const result = check(forever, { runs: 5, pauses: 0, crashes: 0 });
    expect(result.result).toBe('none');
    expect(result.stats.unjudged).toBe(5);
    expect(checkResultLines(result).at(-1)).toBe('  not judged: the properties checked when a run is over, in 5 runs cut off at 10000 steps');
  });
});
