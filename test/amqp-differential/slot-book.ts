/**
 * A consumer channel slot as the client sees it: whether its channel is open, the consumers started on it, the
 * deliveries it received and which of them it has not settled. Every backend resolves a command's abstract
 * target through a book, so the same command names the same delivery tag wherever observations agree.
 */
import type { Command, Target } from './commands.ts';

/** A consumer started on the slot. */
export interface BookedConsumer {
  /** Its index among all consumers of the sequence, in start order. */
  readonly index: number;
  /** Its tag on the backend. */
  readonly tag: string;
}

/**
 * One slot's client-side record.
 * @example
 * const book = new SlotBook();
 * book.received(1, 'p1', false);
 * book.resolve({ kind: 'outstanding', index: 0 }) // 1
 */
export class SlotBook {
  /** False once the channel closed, until the slot opens a new one. */
  open = true;
  /** Consumption state carried by the channel: the prefetch for consumers started next. */
  prefetch = 0;
  /** Consumers started on the current channel and not cancelled. */
  consumers: BookedConsumer[] = [];
  #received: { tag: number; payload: string }[] = [];
  #outstanding: { tag: number; payload: string }[] = [];

  /**
   * Records a delivery; auto-acked ones are never outstanding.
   * @example book.received(2, 'p2', true)
   */
  received(tag: number, payload: string, autoAck: boolean): void {
    this.#received.push({ tag, payload });
    if (!autoAck) this.#outstanding.push({ tag, payload });
  }

  /**
   * The delivery tag `target` names: 0 for `all` (used with `multiple`); the outstanding or received delivery
   * at that index, modulo their number; for `unknown`, a tag never issued on this channel. `null` when there
   * is no such delivery: the command is skipped (random commands would otherwise mostly ack nothing).
   * @example book.resolve({ kind: 'unknown' }) // 1 on a fresh channel
   */
  resolve(target: Target): number | null {
    if (target.kind === 'all') return 0;
    if (target.kind === 'unknown') return (this.#received.at(-1)?.tag ?? 0) + 1;
    const from = target.kind === 'outstanding' ? this.#outstanding : this.#received;
    return from.length === 0 ? null : from[target.index % from.length].tag;
  }

  /**
   * True when some delivery is outstanding.
   * @example new SlotBook().busy // false
   */
  get busy(): boolean {
    return this.#outstanding.length > 0;
  }

  /**
   * Whether a consume may start on the channel: it is closed (a consume opens a new one), or it has no consumer
   * and nothing outstanding. One consumer's deliveries per channel at a time keeps RabbitMQ deterministic: a
   * multiple ack or nack spanning several consumers of a channel is settled one consumer at a time, in the
   * order of their (random) consumer tags, each followed by a dispatch (`rabbit_channel` groups acks per queue
   * and consumer tag), so who gets the next message would depend on the tags.
   * @example new SlotBook().mayConsume // true
   */
  get mayConsume(): boolean {
    return !this.open || (this.consumers.length === 0 && !this.busy);
  }

  /**
   * Forgets what an accepted ack/nack/reject of `tag` settled (with `multiple`, every outstanding tag up to it;
   * tag 0 with `multiple`, all).
   * @example book.settled(3, true)
   */
  settled(tag: number, multiple: boolean): void {
    this.#outstanding = this.#outstanding.filter((d) => (multiple ? tag !== 0 && d.tag > tag : d.tag !== tag));
  }

  /**
   * The channel closed: nothing is outstanding any more, and its consumers are gone.
   * @example book.closed()
   */
  closed(): void {
    this.open = false;
    this.consumers = [];
    this.#received = [];
    this.#outstanding = [];
  }

  /**
   * A new channel for the slot: tags restart at 1 and the prefetch at 0.
   * @example book.reopened()
   */
  reopened(): void {
    this.closed();
    this.open = true;
    this.prefetch = 0;
  }

  /**
   * What the slot shows in an observation: `closed`, or its outstanding payloads in tag order.
   * @example book.view() // 'p1 p3'
   */
  view(): string {
    return this.open ? this.#outstanding.map((d) => d.payload).join(' ') : 'closed';
  }
}

/**
 * The slot `command` acts on: its own, except that a settle of an `outstanding` delivery goes to the `slot`-th
 * (modulo) of the slots holding one, if any.
 * @example actingSlot({ op: 'ack', slot: 0, target: { kind: 'outstanding', index: 0 }, multiple: false }, books) // 1 when only slot 1 is busy
 */
export function actingSlot(command: Exclude<Command, { op: 'publish' }>, books: readonly SlotBook[]): number {
  if (!('target' in command) || command.target.kind !== 'outstanding') return command.slot;
  const busy = books.flatMap((book, slot) => (book.open && book.busy ? [slot] : []));
  return busy.length === 0 ? command.slot : busy[command.slot % busy.length];
}
