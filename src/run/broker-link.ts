/**
 * A process's link to the broker across its life: the session of its current incarnation (opened at the
 * incarnation's first broker command: a process that sends none opens none), and the inbox of what the broker
 * handed it — deliveries, and notices that its consuming channel closed — kept in arrival order until the
 * machine awaits one.
 */
import type { BrokerCommand } from '../world/amqp/commands.ts';
import type { Delivery } from '../world/amqp/types.ts';
import type { BrokerReply, BrokerSession } from './broker-session.ts';
import type { RunServices } from './run-services.ts';

/** What the broker handed a process: a delivery, or the news that its consuming channel closed. */
export type InboxItem = { readonly kind: 'delivery'; readonly delivery: Delivery } | { readonly kind: 'closed' };

/** What a link tells its process as it happens. */
export interface LinkListener {
  /** A delivery arrived (before it is queued). */
  delivered(delivery: Delivery): void;
  /** Something was queued: a waiting process may take it. */
  queued(): void;
}

/**
 * One process's broker link.
 * @example
 * const link = new BrokerLink('A', services.brokerSession, { delivered: record, queued: () => stop.unpark() });
 * await link.exec(['AMQP.CONSUME', 'payments', 1, 0]); // { reply: 'amq.ctag-…', channel: 'A/1' }
 * const item = link.take(); // the first delivery, once one came
 */
export class BrokerLink {
  private inbox: InboxItem[] = [];
  private session: BrokerSession | null = null;
  private channels = 0;

  constructor(private readonly name: string, private readonly open: RunServices['brokerSession'], private readonly listener: LinkListener) {}

  /**
   * The consuming channel of the current session while it is open, else `null`.
   * @example link.consumingChannel // 'A/1'
   */
  get consumingChannel(): string | null {
    return this.session?.consumingChannel ?? null;
  }

  /**
   * Runs a broker command on the current session, opening it first if need be.
   * @example await link.exec(['AMQP.ACK', 1]) // { reply: 'OK', channel: 'A/1' }
   */
  async exec(command: BrokerCommand): Promise<BrokerReply> {
    const result = await this.current().exec(command);
    // A new subscription: a closing heard of before it is old news (the checker's `closedUnder` resets too).
    if (command[0] === 'AMQP.CONSUME') this.inbox = this.inbox.filter((item) => item.kind !== 'closed');
    return result;
  }

  /**
   * The process has taken in that its subscription started: deliveries flow to it from now on.
   * @example await link.exec(['AMQP.CONSUME', 'payments', 1, 0]); history.record(…); link.startDelivering()
   */
  startDelivering(): void {
    this.session?.startDelivering();
  }

  /**
   * The next item in the inbox, or `undefined` while it is empty.
   * @example while ((item = link.take()) === undefined) await stop.park();
   */
  take(): InboxItem | undefined {
    return this.inbox.shift();
  }

  /**
   * The fault: closes the consuming channel under the process, if one is open.
   * @example await link.closeConsumingChannel()
   */
  async closeConsumingChannel(): Promise<void> {
    const channel = this.consumingChannel;
    if (channel === null) return;
    await this.session!.closeConsumingChannel();
    this.channelClosed(channel);
  }

  /**
   * Ends the current session and empties the inbox: in order when the process ends on its own, dropped at once
   * when it is killed.
   * @example await link.shutDown(false)
   */
  async shutDown(graceful: boolean): Promise<void> {
    this.inbox = [];
    const session = this.session;
    this.session = null;
    await (graceful ? session?.close() : session?.kill());
  }

  private current(): BrokerSession {
    this.session ??= this.open({
      delivery: (delivery) => {
        this.listener.delivered(delivery);
        this.push({ kind: 'delivery', delivery });
      },
      channelClosed: (channel) => this.channelClosed(channel),
    }, () => `${this.name}/${++this.channels}`);
    if (this.session === null) throw new Error(`${this.name} sent a broker command in a run without a broker`);
    return this.session;
  }

  /** The consuming channel closed: what it had delivered but not handed over is gone (the broker requeued it). */
  private channelClosed(channel: string): void {
    this.inbox = this.inbox.filter((item) => item.kind !== 'delivery' || item.delivery.channel !== channel);
    this.push({ kind: 'closed' });
  }

  private push(item: InboxItem): void {
    this.inbox.push(item);
    this.listener.queued();
  }
}
