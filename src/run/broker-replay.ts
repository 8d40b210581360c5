/**
 * The broker's side of judging a real run (judge.ts): RabbitMQ's command replies, deliveries and settlements
 * re-executed on the broker model, in the history's order. Two things the real broker does are read as it does
 * them: a consumer tag is its own choice of name, so a CONSUME agrees by succeeding; and a message may be
 * delivered before its publish's confirm was recorded (see {@link BrokerReplay.deliver}).
 */
import type { BrokerModel } from '../world/amqp/broker.ts';
import { execBroker, type BrokerOutcome } from '../world/amqp/commands.ts';
import type { Settlement } from '../world/amqp/types.ts';
import type { RunEvent } from '../sim/events.ts';
import type { HistoryEntry } from './history.ts';

/** Where a replay writes: the checker's events for the timeline, and the fidelity problems it finds. */
export interface ReplayLog {
  /** The run as the checker's events, in order. */
  readonly events: RunEvent[];
  /** Where the models disagree with what the real servers did. */
  readonly fidelity: string[];
}

type CommandEntry = Extract<HistoryEntry, { kind: 'command' }>;

/**
 * The broker model, advanced by a history's broker entries.
 * @example
 * const broker = new BrokerReplay(world.broker, { events, fidelity }, (proc) => prepared.processes[proc].name);
 * if (!broker.command(entries, i, t).agrees) fidelity.push('…');
 */
export class BrokerReplay {
  /** The model consumer tag of each consuming channel. */
  private readonly consumerOf = new Map<string, string>();
  /** Publishes the broker took before their confirm was recorded (see `deliver`), by entry, with the model's outcome. */
  private readonly takenEarly = new Map<number, BrokerOutcome>();

  constructor(private readonly broker: BrokerModel, private readonly log: ReplayLog, private readonly name: (proc: number) => string) {}

  /**
   * Executes the broker command of `entries[index]` at true time `t`: the model's reply, and whether it agrees
   * with the broker's.
   * @example broker.command(entries, 4, 120) // { reply: null, agrees: true }
   */
  command(entries: readonly HistoryEntry[], index: number, t: number): { readonly reply: unknown; readonly agrees: boolean } {
    const entry = entries[index] as CommandEntry;
    const { command, reply } = entry;
    const outcome = this.takenEarly.get(index) ?? execBroker(this.broker, entry.channel ?? 'publisher', command);
    if (command[0] === 'AMQP.CONSUME' && typeof outcome.reply === 'string') this.consumerOf.set(entry.channel!, outcome.reply);
    // A consumer tag is the broker's choice of name: only success or failure must agree.
    const agrees = command[0] === 'AMQP.CONSUME' ? typeof reply === typeof outcome.reply : JSON.stringify(reply) === JSON.stringify(outcome.reply);
    this.settled(outcome.settled, t);
    return { reply: outcome.reply, agrees };
  }

  /**
   * The delivery of `entries[index]`, at true time `t`, against the model's next one on that channel. A message
   * delivered before its publish was recorded: the broker took it some time between the publish's sending and
   * its confirm, and RabbitMQ may deliver it to a consumer before the confirm reaches the publisher (they travel
   * on different connections). So the publish of that message still to come, sent before this delivery, is
   * executed on the model now; its own entry later only shows it.
   * @example broker.deliver(entries, 7, 130) // a 'deliver' event, and a 'settle' one on an auto-ack channel
   */
  deliver(entries: readonly HistoryEntry[], index: number, t: number): void {
    const { delivery, proc } = entries[index] as Extract<HistoryEntry, { kind: 'deliver' }>;
    const tag = this.consumerOf.get(delivery.channel);
    const where = `t=${t} ${this.name(proc)}`;
    const deliverable = () => tag !== undefined && this.broker.deliverable().some((d) => d.consumerTag === tag);
    if (!deliverable()) this.publishedBefore(entries, index);
    if (!deliverable()) {
      this.log.fidelity.push(`${where}: the broker delivered ${delivery.messageId} on channel ${delivery.channel}; the model had nothing to deliver there`);
    } else {
      const model = this.broker.deliver(tag!);
      if (model.messageId !== delivery.messageId || model.redelivered !== delivery.redelivered || model.deliveryTag !== delivery.deliveryTag) {
        this.log.fidelity.push(`${where}: the broker delivered #${delivery.deliveryTag} ${delivery.messageId}${delivery.redelivered ? ' (redelivered)' : ''}, the model #${model.deliveryTag} ${model.messageId}${model.redelivered ? ' (redelivered)' : ''}`);
      }
    }
    this.log.events.push({ kind: 'deliver', t, proc, clock: t, delivery });
    if (tag !== undefined && this.broker.consumer(tag)?.autoAck) {
      const { messageId, queue, deliveryTag } = delivery;
      this.log.events.push({ kind: 'settle', t, clock: t, settlement: { messageId, queue, deliveryTag, outcome: 'acked' } });
    }
  }

  /**
   * A consuming channel closed at true time `t` (its process killed, or the channel closed under it): the
   * messages it held go back to their queue.
   * @example broker.closeChannel('A/1', 300)
   */
  closeChannel(channel: string, t: number): void {
    this.settled(this.broker.closeChannel(channel), t);
  }

  /** The publish of `delivery`'s message sent before `entries[index]` and recorded after it, executed now. */
  private publishedBefore(entries: readonly HistoryEntry[], index: number): void {
    const { delivery, at } = entries[index] as Extract<HistoryEntry, { kind: 'deliver' }>;
    for (let i = index + 1; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.kind !== 'command' || entry.invokedAt > at) continue;
      if (entry.command[0] !== 'AMQP.PUBLISH' || String(entry.command[3]) !== delivery.messageId || this.takenEarly.has(i)) continue;
      this.takenEarly.set(i, execBroker(this.broker, 'publisher', entry.command));
      return;
    }
  }

  /** For the record: messages the broker put back or dropped (acks show as the command). */
  private settled(settled: readonly Settlement[], t: number): void {
    for (const settlement of settled) if (settlement.outcome !== 'acked') this.log.events.push({ kind: 'settle', t, clock: t, settlement });
  }
}
