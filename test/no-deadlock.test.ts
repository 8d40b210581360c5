// No deadlock (issue 4): every check also asks, of each run that is over, whether a process that is not a
// service was left waiting forever. A shopper's request that awaits a reply nobody sends is stuck; the same
// machine run as a service (restarted by a supervisor, waiting for work) is merely idle.
import { describe, expect, it } from 'vitest';
import { ask, AWAITING, check, consumerSetup, defineScenario, type ProtocolEvent } from 'interleave';

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
