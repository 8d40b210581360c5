// At-least-once delivery under the checker, written as a user would: a payment queue, two workers that charge
// the order named in each message, and a crash between the charge and the ack.
import { describe, expect, it } from 'vitest';
import { assign, type AnyStateMachine } from 'xstate';
import {
  always, ask, AWAITING, check, consumerSetup, defineScenario, intValue, replay, sometimes,
  type ProtocolEvent, type Property, type Variant,
} from 'interleave';

interface WorkerContext {
  /** Delivery tag of the message in hand. */
  tag: number;
  /** The order it names. */
  order: string;
}

/**
 * A payment worker: subscribe, await a delivery, charge the order it names, ack, await the next. With
 * `claimFirst` it first claims the order with SET NX and skips the charge when a redelivery finds it claimed;
 * without, it is plain at-least-once: a crash between charge and ack charges twice.
 */
function worker(id: string, claimFirst: boolean): AnyStateMachine {
  return consumerSetup<WorkerContext>().createMachine({
    id,
    context: ({ input }) => input,
    initial: 'subscribe',
    states: {
      subscribe: { entry: ask<WorkerContext, ProtocolEvent>(() => ['AMQP.CONSUME', 'payments', 1, 0]), on: { reply: 'waiting' } },
      waiting: {
        tags: [AWAITING],
        on: {
          delivery: {
            target: claimFirst ? 'claim' : 'charge',
            actions: assign({ tag: ({ event }) => event.delivery.deliveryTag, order: ({ event }) => event.delivery.payload }),
          },
        },
      },
      claim: {
        entry: ask<WorkerContext, ProtocolEvent>((c) => ['SET', `claimed:${c.order}`, 1, 'NX']),
        on: { reply: [{ guard: ({ event }) => event.type === 'reply' && event.value === 'OK', target: 'charge' }, { target: 'ack' }] },
      },
      charge: { entry: ask<WorkerContext, ProtocolEvent>((c) => ['INCR', `charges:${c.order}`]), on: { reply: 'ack' } },
      ack: { entry: ask<WorkerContext, ProtocolEvent>((c) => ['AMQP.ACK', c.tag]), on: { reply: 'waiting' } },
    },
  });
}

const properties: Property[] = [
  always('no-duplicate-charge', 'an order is charged at most once',
    (w) => intValue(w, 'charges:order-1') <= 1, (w) => `order-1 charged ${intValue(w, 'charges:order-1')} times`, ['charges:order-1']),
  sometimes('reaches-charge', 'an order is charged', (w) => intValue(w, 'charges:order-1') >= 1, ['charges:order-1']),
];

const variant = (name: string, machine: AnyStateMachine, expected: Variant['expected']): Variant => ({
  name, summary: name, expected,
  build: () => ({
    processes: ['A', 'B'].map((worker) => ({ name: worker, machine, input: { tag: 0, order: '' }, service: true })),
    queues: [{ name: 'payments' }],
    setup: [['AMQP.PUBLISH', 'payments', 'order-1', 'order-1']],
    properties,
  }),
});

const payments = defineScenario({
  name: 'payments-test', summary: 'two workers charge the orders on a queue', source: 'test',
  params: {},
  variants: [variant('ack-after', worker('ack-after', false), 'violates'), variant('idempotent', worker('idempotent', true), 'holds')],
});

describe('a consumer under the checker', () => {
  it('ack-after: a crash between charge and ack charges twice, via a redelivery', () => {
    const result = check(payments, { variant: 'ack-after', crashes: 1, pauses: 0 });
    expect(result.violation?.property).toBe('no-duplicate-charge');
    // Which worker goes first depends on the seed: name them by order of appearance.
    const workers = [...new Set(result.violation!.steps.map((s) => s.node).filter((n) => n !== 'broker'))];
    const texts = result.violation!.steps.map((s) => `${s.node === 'broker' ? 'broker' : `W${workers.indexOf(s.node) + 1}`}: ${s.text}`);
    expect(texts).toEqual([
      'W1: arrives',
      'W1: AMQP.CONSUME payments 1 0 → "ctag-1"',
      'W1: ⇐ delivery #1 of order-1 "order-1" from payments',
      'W1: INCR charges:order-1 → 1',
      'W1: ✗ crashes',
      'broker: ↩ order-1 requeued to payments',
      'W2: arrives',
      'W2: AMQP.CONSUME payments 1 0 → "ctag-2"',
      'W2: ⇐ delivery #1 of order-1 "order-1" from payments (redelivered)',
      'W2: INCR charges:order-1 → 2',
    ]);
    expect(replay(result.violation!.replay!, { scenarios: [payments] }).violation.steps).toEqual(result.violation!.steps);
  });

  it('idempotent: no crash placement charges twice', () => {
    const result = check(payments, { variant: 'idempotent', crashes: 1, pauses: 1, runs: 20_000 });
    expect(result.result).toBe('none');
    expect(result.reached).toContain('reaches-charge');
  });

  it('without a crash, ack-after is fine: the duplicate needs the redelivery', () => {
    expect(check(payments, { variant: 'ack-after', crashes: 0, pauses: 2, runs: 5_000 }).result).toBe('none');
  });
});
