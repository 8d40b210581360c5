/**
 * The shop's external systems together — payment gateway, orders table with outbox, confirmation mailer — and
 * the commands protocol machines send them, flat arrays like Redis commands:
 * - `['PAY.CHARGE', order, key?]` → the charge id; `['PAY.KEY_RETENTION', ms]` → `'OK'` (set up the gateway);
 * - `['DB.CREATE_ORDER', order, outboxQueue?]` → `'OK'` or `'EXISTS'`; `['DB.CONFIRM', order]` → `'OK'`,
 *   `'ALREADY'` or `'NO_ORDER'`; `['DB.OUTBOX_TAKE']` → `[rowId, queue, payload, messageId]` of the oldest unsent
 *   row, blocking while there is none; `['DB.OUTBOX_MARK', rowId]` → `'OK'`;
 * - `['MAIL.SEND', order, key?]` → `'sent'` or `'suppressed'` (a key already used).
 */
import { PaymentGateway } from './gateway.ts';
import { OrdersTable } from './orders-table.ts';
import { Mailer } from './mailer.ts';
import type { EffectsView } from '../../../properties/property.ts';

/** A command for the shop's systems: its first word starts with `PAY.`, `DB.` or `MAIL.`. */
export type EffectCommand = readonly (string | number)[];

/** True for a command meant for the shop's systems. */
export function isEffectCommand(cmd: readonly unknown[]): boolean {
  const name = cmd[0];
  return typeof name === 'string' && (name.startsWith('PAY.') || name.startsWith('DB.') || name.startsWith('MAIL.'));
}

/** An optional key argument: absent or empty means none. */
const keyArg = (value: unknown): string | null => (value === undefined || value === '' ? null : String(value));

/**
 * The gateway, the orders table and the mailer of one run.
 * @example
 * const effects = new Effects();
 * effects.exec(['DB.CREATE_ORDER', 'order-1'], 0); // 'OK'
 * effects.exec(['PAY.CHARGE', 'order-1'], 0);      // 'ch_1'
 * effects.charges('order-1');                      // 1
 */
export class Effects implements EffectsView {
  constructor(
    readonly gateway = new PaymentGateway(),
    readonly orders = new OrdersTable(),
    readonly mailer = new Mailer(),
  ) {}

  /**
   * An independent copy.
   * @example const branch = effects.clone()
   */
  clone(): Effects {
    return new Effects(this.gateway.clone(), this.orders.clone(), this.mailer.clone());
  }

  /**
   * A canonical text of the state at true time `now`: equal texts, equal futures.
   * @example effects.fingerprint(0)
   */
  fingerprint(now: number): string {
    return `${this.gateway.fingerprint(now)}|${this.orders.fingerprint()}|${this.mailer.fingerprint()}`;
  }

  /**
   * True when `cmd` cannot complete now and its sender must wait (`DB.OUTBOX_TAKE` with nothing unsent).
   * @example new Effects().blocks(['DB.OUTBOX_TAKE']) // true
   */
  blocks(cmd: EffectCommand): boolean {
    return cmd[0] === 'DB.OUTBOX_TAKE' && this.orders.nextUnsent() === undefined;
  }

  /**
   * Executes `cmd` at true time `now`; an unknown command or a blocked one answers an error.
   * @example effects.exec(['MAIL.SEND', 'order-1', 'order-1'], 0) // 'sent'
   */
  exec(cmd: EffectCommand, now: number): unknown {
    const [name, ...args] = cmd;
    switch (name) {
      case 'PAY.CHARGE': return this.gateway.charge(String(args[0]), keyArg(args[1]), now).id;
      case 'PAY.KEY_RETENTION': this.gateway.keyRetentionMs = Number(args[0]); return 'OK';
      case 'DB.CREATE_ORDER': return this.orders.create(String(args[0]), keyArg(args[1])) ? 'OK' : 'EXISTS';
      case 'DB.CONFIRM': return this.orders.confirm(String(args[0]));
      case 'DB.OUTBOX_TAKE': {
        const row = this.orders.nextUnsent();
        return row === undefined ? { error: 'outbox empty' } : [row.id, row.queue, row.payload, row.messageId];
      }
      case 'DB.OUTBOX_MARK': return this.orders.markSent(Number(args[0])) ? 'OK' : { error: `no outbox row ${String(args[0])}` };
      case 'MAIL.SEND': return this.mailer.send(String(args[0]), keyArg(args[1])) ? 'sent' : 'suppressed';
      default: return { error: `unknown command '${String(name)}'` };
    }
  }

  orderIds(): readonly string[] {
    return this.orders.ids();
  }

  hasOrder(order: string): boolean {
    return this.orders.get(order) !== undefined;
  }

  charges(order: string): number {
    let count = 0;
    for (const charge of this.gateway.charges()) if (charge.order === order) count++;
    return count;
  }

  chargedOrders(): readonly string[] {
    return this.gateway.charges().map((c) => c.order);
  }

  confirmations(order: string): number {
    return this.mailer.sentFor(order);
  }
}
