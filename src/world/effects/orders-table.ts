/**
 * The shop's orders table, with a transactional outbox beside it, as a small pure model of a SQL database.
 * Creating an order and writing its outbox row is one transaction (both or neither); the relay takes the oldest
 * unsent outbox row, publishes it and marks it sent — a crash between the two makes it publish again.
 */

/** An order row. */
export interface OrderRow {
  /** The order id (the primary key). */
  readonly id: string;
  /** `accepted` when created, `confirmed` once the confirmation consumer has run. */
  status: 'accepted' | 'confirmed';
}

/** An outbox row: a message the relay must publish. */
export interface OutboxRow {
  /** Row id, from 1. */
  readonly id: number;
  /** The queue to publish to. */
  readonly queue: string;
  /** The message body (the order id). */
  readonly payload: string;
  /** The message id the relay publishes it with (stable across re-publishes, so consumers can dedupe). */
  readonly messageId: string;
  /** True once the relay marked it sent. */
  sent: boolean;
}

/** The orders table and its outbox. */
export class OrdersTable {
  #orders = new Map<string, OrderRow>();
  #outbox: OutboxRow[] = [];

  /**
   * Inserts an order (and, given `outboxQueue`, its outbox row in the same transaction). False if the id exists.
   * @example table.create('order-1', 'payments') // true
   */
  create(order: string, outboxQueue: string | null): boolean {
    if (this.#orders.has(order)) return false;
    this.#orders.set(order, { id: order, status: 'accepted' });
    if (outboxQueue !== null) this.#outbox.push({ id: this.#outbox.length + 1, queue: outboxQueue, payload: order, messageId: `msg-${order}`, sent: false });
    return true;
  }

  /**
   * Marks an order confirmed: `OK`, `ALREADY` (it was), or `NO_ORDER`.
   * @example table.confirm('order-1') // 'OK'
   */
  confirm(order: string): 'OK' | 'ALREADY' | 'NO_ORDER' {
    const row = this.#orders.get(order);
    if (row === undefined) return 'NO_ORDER';
    if (row.status === 'confirmed') return 'ALREADY';
    row.status = 'confirmed';
    return 'OK';
  }

  /**
   * The oldest unsent outbox row, or `undefined`.
   * @example table.nextUnsent()?.payload // 'order-1'
   */
  nextUnsent(): OutboxRow | undefined {
    return this.#outbox.find((row) => !row.sent);
  }

  /**
   * Marks an outbox row sent; false for an unknown row.
   * @example table.markSent(1) // true
   */
  markSent(id: number): boolean {
    const row = this.#outbox[id - 1];
    if (row === undefined) return false;
    row.sent = true;
    return true;
  }

  /**
   * An independent copy (rows are copied: they change in place).
   * @example const branch = table.clone()
   */
  clone(): OrdersTable {
    const copy = new OrdersTable();
    copy.#orders = new Map([...this.#orders].map(([id, row]) => [id, { ...row }]));
    copy.#outbox = this.#outbox.map((row) => ({ ...row }));
    return copy;
  }

  /**
   * A canonical text of the state.
   * @example table.fingerprint() // '[[["order-1","accepted"]],[]]'
   */
  fingerprint(): string {
    return JSON.stringify([[...this.#orders.values()].map((r) => [r.id, r.status]), this.#outbox.map((r) => [r.id, r.queue, r.payload, r.sent])]);
  }

  /**
   * Every order id, in creation order.
   * @example table.ids() // ['order-1']
   */
  ids(): readonly string[] {
    return [...this.#orders.keys()];
  }

  /**
   * One order's row, or `undefined`.
   * @example table.get('order-1')?.status // 'accepted'
   */
  get(order: string): Readonly<OrderRow> | undefined {
    return this.#orders.get(order);
  }
}
