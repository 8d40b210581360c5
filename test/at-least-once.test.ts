/**
 * Issue 3 acceptance: at-least-once message processing under the checker. The payment, order-confirm and
 * checkout scenarios show what each classic mistake costs — an ack-after consumer that crashes charges twice
 * via a redelivery, an ack-before or auto-ack consumer loses the order, an idempotency key the gateway forgets
 * too soon charges twice after a long pause, a publish without confirms (or a crash between commit and publish)
 * loses the order, an outbox relay without a consumer-side key confirms twice, a payment published before its
 * order is committed charges a ghost — and that the fixed variants (idempotent, outbox) survive 100,000
 * schedules while still reaching the work they guard. Every buggy variant's counterexample is found for seeds
 * 1..20 and is 1-minimal; one per scenario is pinned as the exact text a user reads.
 */
import { describe, expect, it } from 'vitest';
import { check, replay, scenarios, type CheckResult, type TimelineStep } from '../src/index.ts';
import { checkResultLines } from '../src/report/text.ts';
import { expectOneMinimal } from './one-minimal.ts';

const text = (result: CheckResult) => checkResultLines(result).join('\n');

/** The index of the first step at or after `from` that satisfies `test`, or -1. */
const indexFrom = (steps: readonly TimelineStep[], from: number, test: (s: TimelineStep) => boolean) => {
  const i = steps.slice(from).findIndex(test);
  return i < 0 ? -1 : from + i;
};

const isCharge = (s: TimelineStep) => s.text.startsWith('PAY.CHARGE ');

describe('payment: the acknowledgement mode decides between a lost and a doubled charge', () => {
  it('ack-after: a worker charges, crashes before its ack, and a different worker charges the redelivery again', () => {
    const result = check('payment', { variant: 'ack-after' });
    expect(result.violation?.property).toBe('no-duplicate-charge');
    const steps = result.violation!.steps;
    const charge = indexFrom(steps, 0, isCharge);
    expect(charge, 'a PAY.CHARGE').toBeGreaterThanOrEqual(0);
    const worker = steps[charge].node;
    const crash = indexFrom(steps, charge + 1, (s) => s.node === worker && s.text === '✗ crashes');
    expect(crash, `${worker} crashes after its charge`).toBeGreaterThan(charge);
    const redelivery = indexFrom(steps, crash + 1, (s) => s.text.startsWith('⇐ delivery') && s.text.endsWith('(redelivered)'));
    expect(redelivery, 'a redelivery after the crash').toBeGreaterThan(crash);
    const other = steps[redelivery].node;
    expect(other, 'the redelivery goes to a different worker').not.toBe(worker);
    const second = indexFrom(steps, redelivery + 1, isCharge);
    expect(second, 'a second PAY.CHARGE after the redelivery').toBeGreaterThan(redelivery);
    expect(steps[second].node).toBe(other);
    expect(steps[second].text).toMatch(/ → "ch_2"$/);
  });

  it('ack-after: the replay token reproduces the same steps', () => {
    const result = check('payment', { variant: 'ack-after' });
    expect(replay(result.violation!.replay!).violation.steps).toEqual(result.violation!.steps);
  });

  it.each(['auto-ack', 'ack-before', 'claim-first'])('%s: a crash after the message is gone (or claimed) loses the order (charged 0 times)', (variant) => {
    const result = check('payment', { variant });
    expect(result.violation?.property).toBe('no-lost-order');
    expect(result.violation!.message).toContain('charged 0 times');
  });

  it('dedupe-expiry: a 5000 ms key window holds when no redelivery can outlast it (pauses ≤ 1000 ms)', () => {
    // The restart delay is 1000 ms and at most 2 pauses of ≤ 1000 ms land: a redelivery comes within 3000 ms.
    const result = check('payment', { variant: 'dedupe-expiry', params: { window: 5000 }, maxPauseMs: 1000, runs: 20_000 });
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(20_000);
    expect(result.reached).toContain('reaches-charge');
  });

  it('dedupe-expiry: with pauses up to 10,000 ms the second charge comes after the gateway forgot the key', () => {
    const result = check('payment', { variant: 'dedupe-expiry', params: { window: 5000 } });
    expect(result.violation?.property).toBe('no-duplicate-charge');
    const charges = result.violation!.steps.filter(isCharge);
    expect(charges).toHaveLength(2);
    expect(charges[1].t - charges[0].t).toBeGreaterThanOrEqual(5000);
  });

  it('idempotent: no violation in 100,000 schedules, and some order is charged', () => {
    const result = check('payment', { variant: 'idempotent', runs: 100_000 });
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(100_000);
    expect(result.reached).toContain('reaches-charge');
  });
});

describe('a channel the broker closes under a live consumer', () => {
  it('ack-after: the unacked message is requeued and charged again by the other worker, with no crash at all', () => {
    const result = check('payment', { variant: 'ack-after', crashes: 0, closes: 1 });
    expect(result.violation?.property).toBe('no-duplicate-charge');
    const texts = result.violation!.steps.map((s) => s.text);
    expect(texts).toContain('✂ the broker closes its channel');
    expect(texts.some((t) => t.endsWith('(redelivered)'))).toBe(true);
  });

  it('idempotent: closes and crashes together find nothing in 20,000 schedules', () => {
    const result = check('payment', { variant: 'idempotent', crashes: 1, closes: 2, runs: 20_000 });
    expect(result.result).toBe('none');
    expect(result.reached).toContain('reaches-charge');
  });

  it('a consumer whose channel closed while it was idle hears of it, subscribes again, and no order is lost', () => {
    const result = check('payment', { variant: 'ack-before', crashes: 0, closes: 2, runs: 20_000 });
    expect(result.result).toBe('none');
  });
});

describe('order-confirm: publishing reliably and confirming once', () => {
  it.each(['auto-ack', 'publish-no-confirm', 'confirms-retry'])('%s loses the order', (variant) => {
    expect(check('order-confirm', { variant }).violation?.property).toBe('no-lost-order');
  });

  it('outbox-no-dedupe: the relay re-publishes and the shopper is confirmed twice', () => {
    expect(check('order-confirm', { variant: 'outbox-no-dedupe' }).violation?.property).toBe('no-duplicate-confirmation');
  });

  it('outbox: no violation in 100,000 schedules, and some order is confirmed', () => {
    const result = check('order-confirm', { variant: 'outbox', runs: 100_000 });
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(100_000);
    expect(result.reached).toContain('reaches-confirmation');
  });

  it('publish-no-confirm without crashes still loses the order: the publish is lost on the way', () => {
    const result = check('order-confirm', { variant: 'publish-no-confirm', crashes: 0 });
    expect(result.faults.crashes).toBe(0);
    expect(result.faults.losses).toBe(1);
    expect(result.violation?.property).toBe('no-lost-order');
    expect(result.violation!.steps.some((s) => s.text.includes('lost on the way'))).toBe(true);
  });

  it('confirms-retry without crashes never loses the order: confirms and retries cure the lossy wire', () => {
    const result = check('order-confirm', { variant: 'confirms-retry', crashes: 0, property: 'no-lost-order', runs: 20_000 });
    expect(result.faults.losses).toBe(1);
    expect(result.checked).toEqual(['no-lost-order']);
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(20_000);
    expect(result.reached).toContain('reaches-confirmation');
  });
});

describe('checkout: the whole flow', () => {
  it('naive violates', () => {
    expect(check('checkout', { variant: 'naive' }).result).toBe('violation');
  });

  it('publish-before-commit charges an order the orders table does not have', () => {
    expect(check('checkout', { variant: 'publish-before-commit' }).violation?.property).toBe('no-ghost-charge');
  });

  it('ack-after charges twice', () => {
    expect(check('checkout', { variant: 'ack-after' }).violation?.property).toBe('no-duplicate-charge');
  });

  it('outbox: no violation in 100,000 schedules, and it sells, charges and confirms', () => {
    const result = check('checkout', { variant: 'outbox', runs: 100_000 });
    expect(result.result).toBe('none');
    expect(result.stats.schedules).toBe(100_000);
    expect(result.reached).toEqual(expect.arrayContaining(['reaches-sale', 'reaches-charge', 'reaches-confirmation']));
  });
});

const buggy = scenarios
  .filter((s) => ['payment', 'order-confirm', 'checkout'].includes(s.name))
  .flatMap((scenario) => scenario.variants.filter((v) => v.expected === 'violates').map((variant) => ({ scenario, variant })));

describe('every buggy variant, seeds 1..20', () => {
  it('there are 12 buggy variants of payment, order-confirm and checkout', () => {
    expect(buggy.map(({ scenario, variant }) => `${scenario.name}/${variant.name}`)).toHaveLength(12);
  });

  it.each(buggy.map(({ scenario, variant }) => [`${scenario.name}/${variant.name}`, scenario, variant] as const))(
    '%s: a violation is found and its counterexample is 1-minimal',
    (_, scenario, variant) => {
      for (let seed = 1; seed <= 20; seed++) {
        const result = check(scenario, { variant: variant.name, seed });
        expect(result.result, `seed ${seed}`).toBe('violation');
        expectOneMinimal(scenario, result, `seed ${seed}`);
      }
    },
  );
});

describe('the minimal counterexample, pinned', () => {
  it('payment / ack-after, seed 1', () => {
    expect(text(check('payment', { variant: 'ack-after', seed: 1 }))).toMatchInlineSnapshot(`
      "payment / ack-after  (workers=2 orders=1 window=2000; seed 1; faults: 2 pauses ≤ 10000 ms, 1 crash)

        true ms  clock │ W2                            W1                            broker
        ───────────────┼────────────────────────────────────────────────────────────────────────────────────────────
              0      0 │ arrives
              0      0 │ AMQP.CONSUME payments 1 0 → "ctag-1"
              0      0 │ ⇐ delivery #1 of paid-1 "order-1" from payments
              0      0 │ PAY.CHARGE order-1 → "ch_1"
              0      0 │ ✗ crashes
              0      0 │                                                             ↩ paid-1 requeued to payments
              0      0 │                               arrives
              0      0 │                               AMQP.CONSUME payments 1 0 → "ctag-2"
              0      0 │                               ⇐ delivery #1 of paid-1 "order-1" from payments (redelivered)
              0      0 │                               PAY.CHARGE order-1 → "ch_2"

      ✗ no-duplicate-charge violated: order-1 charged 2 times
        property: each order is charged at most once
        replay:   interleave replay il1.eyJzIjoicGF5bWVudCIsInYiOiJhY2stYWZ0ZXIiLCJwIjp7IndvcmtlcnMiOjIsIm9yZGVycyI6MSwid2luZG93IjoyMDAwfSwic2VlZCI6MSwiZiI6WzIsMSwxMDAwMCwwLDAsMCwxMDAwMF0sImMiOltbMCwwLFtdXSxbMCwwLFtdXSxbMCwwLFtdXV0sInByb3AiOiJuby1kdXBsaWNhdGUtY2hhcmdlIiwiYSI6ImExIGQxIHMxIGMxIGEwIGQwIHMwIn0
        (found in schedule 40; shrunk from 14 scheduler decisions to 7)"
    `);
  });

  it('order-confirm / outbox-no-dedupe, seed 1', () => {
    expect(text(check('order-confirm', { variant: 'outbox-no-dedupe', seed: 1 }))).toMatchInlineSnapshot(`
      "order-confirm / outbox-no-dedupe  (workers=2; seed 1; faults: 2 pauses ≤ 10000 ms, 1 crash, 1 lost publish)

        true ms  clock │ C1                            relay                         shop                          C2                            broker
        ───────────────┼───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
              0      0 │ arrives
              0      0 │ AMQP.CONSUME confirmations 1 0 → "ctag-1"
              0      0 │                               arrives
              0      0 │                                                             arrives
              0      0 │                                                             DB.CREATE_ORDER order-1 confirmations → OK
              0      0 │                                                             finishes
              0      0 │                               DB.OUTBOX_TAKE → [1,"confirmations","order-1","msg-order-1"]
              0      0 │                               AMQP.PUBLISH confirmations order-1 msg-order-1 1 → "timeout"
              0      0 │                                                                                                                         ✗ confirm of msg-order-1 lost: it is in confirmations, the publisher times out
              0      0 │                               DB.OUTBOX_TAKE → [1,"confirmations","order-1","msg-order-1"]
              0      0 │                               AMQP.PUBLISH confirmations order-1 msg-order-1 1 → "ack"
              0      0 │                                                                                           arrives
              0      0 │                                                                                           AMQP.CONSUME confirmations 1 0 → "ctag-2"
              0      0 │                                                                                           ⇐ delivery #1 of msg-order-1 "order-1" from confirmations
              0      0 │                                                                                           DB.CONFIRM order-1 → OK
              0      0 │                                                                                           MAIL.SEND order-1 → "sent"
              0      0 │ ⇐ delivery #1 of msg-order-1 "order-1" from confirmations
              0      0 │ DB.CONFIRM order-1 → "ALREADY"
              0      0 │ MAIL.SEND order-1 → "sent"

      ✗ no-duplicate-confirmation violated: the shopper of order-1 got 2 confirmations
        property: each order is confirmed to the shopper at most once
        replay:   interleave replay il1.eyJzIjoib3JkZXItY29uZmlybSIsInYiOiJvdXRib3gtbm8tZGVkdXBlIiwicCI6eyJ3b3JrZXJzIjoyfSwic2VlZCI6MSwiZiI6WzIsMSwxMDAwMCwxLDAsMCwxMDAwMF0sImMiOltbMCwwLFtdXSxbMCwwLFtdXSxbMCwwLFtdXSxbMCwwLFtdXSxbMCwwLFtdXV0sInByb3AiOiJuby1kdXBsaWNhdGUtY29uZmlybWF0aW9uIiwiYSI6ImEyIGExIGEwIHMxIGsxIHMxIHMxIGEzIGQzIHMzIHMzIGQyIHMyIHMyIn0
        (found in schedule 4; shrunk from 17 scheduler decisions to 14)"
    `);
  });

  it('checkout / publish-before-commit, seed 1', () => {
    expect(text(check('checkout', { variant: 'publish-before-commit', seed: 1 }))).toMatchInlineSnapshot(`
      "checkout / publish-before-commit  (buyers=2 stock=1 ttl=5000; seed 1; faults: 2 pauses ≤ 10000 ms, 1 crash, 1 lost publish)

        true ms  clock │ pay                           A
        ───────────────┼──────────────────────────────────────────────────────────────────────────────────
              0      0 │ arrives
              0      0 │ AMQP.CONSUME payments 1 0 → "ctag-1"
              0      0 │                               arrives
              0      0 │                               SET lock:stock A-fffe NX PX 5000 → OK
              0      0 │                               INCR lock:stock:fence → 1
              0      0 │                               EVAL fenced-get 2 stock stock:fence 1 → "1"
              0      0 │                               EVAL fenced-set 2 stock stock:fence 1 0 → OK
              0      0 │                               INCR sold → 1
              0      0 │                               AMQP.PUBLISH payments order-A msg-order-A 1 → "ack"
              0      0 │ ⇐ delivery #1 of msg-order-A "order-A" from payments
              0      0 │ PAY.CHARGE order-A order-A → "ch_1"

      ✗ no-ghost-charge violated: order-A charged, but there is no such order
        property: no charge for an order the orders table does not have
        replay:   interleave replay il1.eyJzIjoiY2hlY2tvdXQiLCJ2IjoicHVibGlzaC1iZWZvcmUtY29tbWl0IiwicCI6eyJidXllcnMiOjIsInN0b2NrIjoxLCJ0dGwiOjUwMDB9LCJzZWVkIjoxLCJmIjpbMiwxLDEwMDAwLDEsMCwwLDEwMDAwXSwiYyI6W1swLDAsW11dLFswLDAsW11dLFswLDAsW11dLFswLDAsW11dLFswLDAsW11dXSwicHJvcCI6Im5vLWdob3N0LWNoYXJnZSIsImEiOiJhMiBhMCBzMCBzMCBzMCBzMCBzMCBkMiBzMiJ9
        (found in schedule 3 of 500 explored; shrunk from 32 scheduler decisions to 9)"
    `);
  });
});
