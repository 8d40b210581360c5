/**
 * Pinned tests of the shop's pure effect models (payment gateway, orders table with outbox, mailer) through the
 * flat command protocol of `Effects.exec`, and of the `EffectsView` properties read. Pinned because properties
 * (no double charge, one confirmation per order) and the outbox relay depend on these exact answers:
 * - a charge without an idempotency key always charges; with a key, a retry inside the retention window returns
 *   the first charge (window half-open: `now - first < retention` dedupes, `>=` charges again);
 * - the outbox row is written with its order, and a take without a mark returns the same row again — the
 *   duplicate publish a relay crashing between publish and mark produces (at-least-once, as with RabbitMQ
 *   publisher confirms: https://www.rabbitmq.com/docs/confirms).
 */
import { describe, expect, it } from 'vitest';
import { Effects } from './effects.ts';

describe('PAY.CHARGE', () => {
  it('without a key charges on every call', () => {
    const fx = new Effects();
    expect(fx.exec(['PAY.CHARGE', 'o1'], 0)).toBe('ch_1');
    expect(fx.exec(['PAY.CHARGE', 'o1'], 0)).toBe('ch_2');
    expect(fx.charges('o1')).toBe(2);
  });

  it('with a key, a retry returns the first charge and records none', () => {
    const fx = new Effects();
    expect(fx.exec(['PAY.CHARGE', 'o1', 'k1'], 0)).toBe('ch_1');
    expect(fx.exec(['PAY.CHARGE', 'o1', 'k1'], 1_000_000)).toBe('ch_1');
    expect(fx.charges('o1')).toBe(1);
  });

  it('with KEY_RETENTION W, a retry dedupes at now - first = W - 1 and charges again at W', () => {
    const fx = new Effects();
    expect(fx.exec(['PAY.KEY_RETENTION', 100], 0)).toBe('OK');
    expect(fx.exec(['PAY.CHARGE', 'o1', 'k1'], 50)).toBe('ch_1');
    expect(fx.exec(['PAY.CHARGE', 'o1', 'k1'], 149)).toBe('ch_1');
    expect(fx.charges('o1')).toBe(1);
    expect(fx.exec(['PAY.CHARGE', 'o1', 'k1'], 150)).toBe('ch_2');
    expect(fx.charges('o1')).toBe(2);
  });
});

describe('DB orders and outbox', () => {
  it('CREATE_ORDER answers OK, then EXISTS for the same id', () => {
    const fx = new Effects();
    expect(fx.exec(['DB.CREATE_ORDER', 'o1'], 0)).toBe('OK');
    expect(fx.exec(['DB.CREATE_ORDER', 'o1'], 0)).toBe('EXISTS');
    expect(fx.orderIds()).toEqual(['o1']);
  });

  it('without an outbox queue writes no outbox row: TAKE blocks', () => {
    const fx = new Effects();
    fx.exec(['DB.CREATE_ORDER', 'o1'], 0);
    expect(fx.blocks(['DB.OUTBOX_TAKE'])).toBe(true);
    expect(fx.exec(['DB.OUTBOX_TAKE'], 0)).toEqual({ error: 'outbox empty' });
  });

  it('writes the outbox row with the order; TAKE without MARK repeats it; MARK moves on; all sent blocks', () => {
    const fx = new Effects();
    expect(fx.blocks(['DB.OUTBOX_TAKE'])).toBe(true);
    fx.exec(['DB.CREATE_ORDER', 'o1', 'payments'], 0);
    fx.exec(['DB.CREATE_ORDER', 'o2', 'payments'], 0);
    expect(fx.blocks(['DB.OUTBOX_TAKE'])).toBe(false);
    expect(fx.exec(['DB.OUTBOX_TAKE'], 0)).toEqual([1, 'payments', 'o1', 'msg-o1']);
    // The relay crashed between publish and mark: the same row, same message id, again.
    expect(fx.exec(['DB.OUTBOX_TAKE'], 0)).toEqual([1, 'payments', 'o1', 'msg-o1']);
    expect(fx.exec(['DB.OUTBOX_MARK', 1], 0)).toBe('OK');
    expect(fx.exec(['DB.OUTBOX_TAKE'], 0)).toEqual([2, 'payments', 'o2', 'msg-o2']);
    expect(fx.exec(['DB.OUTBOX_MARK', 2], 0)).toBe('OK');
    expect(fx.blocks(['DB.OUTBOX_TAKE'])).toBe(true);
    expect(fx.exec(['DB.OUTBOX_MARK', 3], 0)).toEqual({ error: 'no outbox row 3' });
  });

  it('CONFIRM answers OK, then ALREADY; NO_ORDER for an unknown order', () => {
    const fx = new Effects();
    fx.exec(['DB.CREATE_ORDER', 'o1'], 0);
    expect(fx.exec(['DB.CONFIRM', 'o1'], 0)).toBe('OK');
    expect(fx.exec(['DB.CONFIRM', 'o1'], 0)).toBe('ALREADY');
    expect(fx.exec(['DB.CONFIRM', 'nope'], 0)).toBe('NO_ORDER');
  });
});

describe('MAIL.SEND', () => {
  it('with a key sends once, then is suppressed; without a key sends every time', () => {
    const fx = new Effects();
    expect(fx.exec(['MAIL.SEND', 'o1', 'o1'], 0)).toBe('sent');
    expect(fx.exec(['MAIL.SEND', 'o1', 'o1'], 0)).toBe('suppressed');
    expect(fx.confirmations('o1')).toBe(1);
    expect(fx.exec(['MAIL.SEND', 'o2'], 0)).toBe('sent');
    expect(fx.exec(['MAIL.SEND', 'o2'], 0)).toBe('sent');
    expect(fx.confirmations('o2')).toBe(2);
  });
});

describe('EffectsView and unknown commands', () => {
  it('reflects orders, charges and confirmations', () => {
    const fx = new Effects();
    fx.exec(['DB.CREATE_ORDER', 'o1'], 0);
    fx.exec(['DB.CREATE_ORDER', 'o2', 'payments'], 0);
    fx.exec(['PAY.CHARGE', 'o2'], 0);
    fx.exec(['PAY.CHARGE', 'o1'], 0);
    fx.exec(['PAY.CHARGE', 'o2'], 0);
    fx.exec(['MAIL.SEND', 'o1', 'o1'], 0);
    expect(fx.orderIds()).toEqual(['o1', 'o2']);
    expect([fx.hasOrder('o1'), fx.hasOrder('o3')]).toEqual([true, false]);
    expect([fx.charges('o1'), fx.charges('o2'), fx.charges('o3')]).toEqual([1, 2, 0]);
    expect(fx.chargedOrders()).toEqual(['o2', 'o1', 'o2']);
    expect([fx.confirmations('o1'), fx.confirmations('o2')]).toEqual([1, 0]);
  });

  it('answers an unknown command with an error', () => {
    expect(new Effects().exec(['DB.DROP_TABLE'], 0)).toEqual({ error: "unknown command 'DB.DROP_TABLE'" });
  });
});
