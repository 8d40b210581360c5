// Pauses on queue workers in `interleave run`: where a variant's pauses can land (its machines' tags), the
// defaults that plan them, their drawing after every other fault (so that a seed plans the others as before),
// and their landing on the taker of a delivery, ahead of a kill due at the same command. No servers.
import { describe, expect, it } from 'vitest';
import { checkout, inventory, orderConfirm, payment } from '../models/index.ts';
import { findVariant, prepare, resolveParams } from '../src/check/prepare.ts';
import { FaultInjector } from '../src/run/fault-injector.ts';
import { planFaults, type FaultOptions, type FaultPlan } from '../src/run/fault-plan.ts';
import { pausePoints } from '../src/run/pause-points.ts';
import { runFaults, UNTIMED_PAUSE_MS } from '../src/run/run-faults.ts';
import { RESTART_DELAY_MS } from '../src/sim/simulation.ts';
import type { Scenario } from '../src/scenario.ts';
import { createPrng } from '../src/sim/prng.ts';

const prepared = (scenario: Scenario, variant: string, params: Record<string, number> = {}) =>
  prepare(scenario, findVariant(scenario, variant), resolveParams(scenario, params), 1);
const machines = (scenario: Scenario, variant: string) => prepared(scenario, variant).instance.processes.map((p) => p.machine);

describe('pause points', () => {
  it('are critical sections for lock clients, deliveries for consumers, both in checkout', () => {
    expect(pausePoints(machines(inventory, 'naive-lock'))).toEqual({ critical: true, delivery: false });
    expect(pausePoints(machines(payment, 'dedupe-expiry'))).toEqual({ critical: false, delivery: true });
    expect(pausePoints(machines(orderConfirm, 'outbox'))).toEqual({ critical: false, delivery: true });
    expect(pausePoints(machines(checkout, 'outbox'))).toEqual({ critical: true, delivery: true });
  });
});

describe('the run\'s default pauses', () => {
  it('leave a lock scenario\'s as they were', () => {
    expect(runFaults(prepared(inventory, 'naive-lock', { ttl: 1000 }), {})).toMatchObject({ pauses: 2, deliveryPauses: 0, pauseMs: 2000, arrivalsMs: 2000 });
  });

  it('pause payment workers for twice the gateway\'s window, with the workers there from the start', () => {
    expect(runFaults(prepared(payment, 'dedupe-expiry'), {})).toMatchObject({ pauses: 0, deliveryPauses: 2, pauseMs: 4000, kills: 1, arrivalsMs: 0 });
    expect(runFaults(prepared(payment, 'dedupe-expiry', { window: 5000 }), { pauses: 1 })).toMatchObject({ pauses: 0, deliveryPauses: 1, pauseMs: 10_000 });
  });

  it('pause order-confirm\'s workers, which have no deadline to outlast, for twice the restart delay, and land on both kinds of point in checkout', () => {
    expect(UNTIMED_PAUSE_MS).toBe(2 * RESTART_DELAY_MS);
    for (const variant of orderConfirm.variants) {
      expect(runFaults(prepared(orderConfirm, variant.name), {})).toMatchObject({ pauses: 0, deliveryPauses: 2, pauseMs: UNTIMED_PAUSE_MS, kills: 1, arrivalsMs: 0 });
    }
    expect(runFaults(prepared(orderConfirm, 'auto-ack'), { pauses: 1 })).toMatchObject({ deliveryPauses: 1, pauseMs: UNTIMED_PAUSE_MS });
    expect(runFaults(prepared(orderConfirm, 'outbox'), { pauseMs: 3000 })).toMatchObject({ pauses: 0, deliveryPauses: 2, pauseMs: 3000 });
    expect(runFaults(prepared(checkout, 'outbox'), {})).toMatchObject({ pauses: 2, deliveryPauses: 2, pauseMs: 10_000, arrivalsMs: 10_000 });
  });

  it('count pauses on workers apart when given, where the variant has workers', () => {
    expect(runFaults(prepared(checkout, 'outbox'), { pauses: 0, deliveryPauses: 1 })).toMatchObject({ pauses: 0, deliveryPauses: 1, arrivalsMs: 10_000 });
    expect(runFaults(prepared(checkout, 'outbox'), { deliveryPauses: 0 })).toMatchObject({ pauses: 2, deliveryPauses: 0 });
    expect(runFaults(prepared(inventory, 'naive-lock'), { deliveryPauses: 1 })).toMatchObject({ pauses: 2, deliveryPauses: 0 });
  });
});

describe('planning pauses on workers', () => {
  const NONE: FaultOptions = { pauses: 2, deliveryPauses: 0, pauseMs: 2000, kills: 1, closes: 1, publishKills: 0, arrivalsMs: 2000, disconnects: 1, stalls: 1, stallMs: 1000 };

  it('draws them after everything else, so that a seed plans the other faults as before', () => {
    for (let seed = 0; seed < 20; seed++) {
      const without = planFaults(NONE, 3, createPrng(seed));
      expect(without).not.toHaveProperty('deliveryPauses');
      const plan = planFaults({ ...NONE, deliveryPauses: 2 }, 3, createPrng(seed));
      expect(plan).toMatchObject(without);
      expect(plan.deliveryPauses).toHaveLength(2);
      for (const pause of plan.deliveryPauses!) expect([1, 2]).toContain(pause.command);
    }
  });

  it('keeps seed 1\'s kills of a payment run where they were', () => {
    const options = runFaults(prepared(payment, 'ack-after'), {});
    const plans = createPrng(1);
    const kills = Array.from({ length: 6 }, () => planFaults(options, 2, createPrng(plans.int(0, 0x7fffffff))).afterDelivery[0].command);
    // Between the charge and the ack (2) in the 4th, 5th and 6th iterations, as test/run-acceptance.ts counts on.
    expect(kills).toEqual([1, 1, 1, 2, 2, 2]);
  });
});

describe('landing pauses on workers', () => {
  const plan = (extra: Partial<FaultPlan>): FaultPlan => ({ arrivals: [0, 0], pauses: [], pauseMs: 4000, afterDelivery: [], publishKills: 0, ...extra });

  it('pauses the taker of a delivery before its j-th command after it, and arms the next pause on a later delivery', () => {
    const faults = new FaultInjector(plan({ deliveryPauses: [{ command: 2 }, { command: 1 }] }), 2);
    faults.delivered(1);
    faults.delivered(0); // a pause is already armed, for W2: W1 gets none
    expect(faults.before(0, ['PAY.CHARGE', 'order-2'], false)).toEqual([]);
    expect(faults.before(1, ['PAY.CHARGE', 'order-1'], false)).toEqual([]);
    expect(faults.before(0, ['AMQP.ACK', 1], false)).toEqual([]);
    expect(faults.before(1, ['AMQP.ACK', 1], false)).toEqual([{ kind: 'pause', ms: 4000 }]);
    faults.delivered(0);
    expect(faults.before(0, ['PAY.CHARGE', 'order-3'], false)).toEqual([{ kind: 'pause', ms: 4000 }]);
    faults.delivered(1);
    expect(faults.before(1, ['PAY.CHARGE', 'order-4'], false)).toEqual([]);
  });

  it('lands a kill due at the same command right after the pause: paused after the charge, then dead before the ack', () => {
    const faults = new FaultInjector(plan({ deliveryPauses: [{ command: 2 }], afterDelivery: [{ kind: 'kill', command: 2 }] }), 2);
    faults.delivered(0);
    expect(faults.before(0, ['PAY.CHARGE', 'order-1'], false)).toEqual([]);
    expect(faults.before(0, ['AMQP.ACK', 1], false)).toEqual([{ kind: 'pause', ms: 4000 }, { kind: 'kill' }]);
  });

  it('drops a pause whose taker is killed or closed before it, so that the next delivery gets the next one', () => {
    const killed = new FaultInjector(plan({ deliveryPauses: [{ command: 2 }, { command: 1 }], afterDelivery: [{ kind: 'kill', command: 1 }] }), 2);
    killed.delivered(0);
    expect(killed.before(0, ['PAY.CHARGE', 'order-1'], false)).toEqual([{ kind: 'kill' }]);
    killed.delivered(1); // the redelivery
    expect(killed.before(1, ['PAY.CHARGE', 'order-1'], false)).toEqual([{ kind: 'pause', ms: 4000 }]);
    const closed = new FaultInjector(plan({ deliveryPauses: [{ command: 2 }], afterDelivery: [{ kind: 'close', command: 1 }] }), 2);
    closed.delivered(0);
    expect(closed.before(0, ['PAY.CHARGE', 'order-1'], false)).toEqual([{ kind: 'close' }]);
    expect(closed.before(0, ['AMQP.CONSUME', 'payments', 1, 0], false)).toEqual([]);
  });

  it('leaves pauses in critical sections as they were', () => {
    const faults = new FaultInjector(plan({ pauses: [{ entrant: 0, command: 1 }], deliveryPauses: [{ command: 1 }] }), 2);
    expect(faults.before(0, ['GET', 'stock'], true)).toEqual([{ kind: 'pause', ms: 4000 }]);
    expect(faults.before(1, ['GET', 'stock'], true)).toEqual([]);
  });
});
