/**
 * Broker commands as protocol machines send them — flat arrays, like Redis commands — executed on the broker
 * model for one channel: `['AMQP.PUBLISH', queue, payload, messageId, confirm?]` → `'ack'` (the publisher
 * confirm; with `confirm` 0, fire-and-forget, `'sent'`: the publisher learns nothing),
 * `['AMQP.CONSUME', queue, prefetch, autoAck]` → the consumer tag, and `['AMQP.ACK', tag]`,
 * `['AMQP.NACK', tag, requeue]`, `['AMQP.REJECT', tag, requeue]` → `'OK'`, or a channel error.
 * Booleans travel as 1/0, as numbers do in Redis commands.
 */
import type { BrokerModel } from './broker.ts';
import type { Settlement } from './types.ts';

/** A broker command: its first word starts with `AMQP.`. */
export type BrokerCommand = readonly (string | number)[];

/** What a broker command answered, and what became of the messages it settled. */
export interface BrokerOutcome {
  /** The reply: `'ack'`, a consumer tag, `'OK'`, or `{ error }` for a channel error. */
  readonly reply: string | { readonly error: string };
  /** Messages acked, requeued, dead-lettered or dropped by the command. */
  readonly settled: readonly Settlement[];
  /** For a publish that went wrong: what was lost (see {@link PublishLoss}). */
  readonly lost?: PublishLoss;
}

/** True for a command meant for the broker. */
export function isBrokerCommand(cmd: readonly unknown[]): boolean {
  return typeof cmd[0] === 'string' && cmd[0].startsWith('AMQP.');
}

/** A boolean argument, sent as 1 or 0. */
function flag(value: unknown): boolean {
  return Number(value) === 1;
}

/** An ack/nack/reject/consume result as a command outcome: `'OK'`, or the channel error. */
const settle = (result: { ok: boolean; settled: readonly Settlement[]; error?: string }): BrokerOutcome =>
  ({ reply: result.ok ? 'OK' : { error: result.error! }, settled: result.settled });

/**
 * How a publish can go wrong (a fault the scheduler places): `message` — the message never reaches the queue
 * (without confirms the publisher cannot tell; with confirms the broker nacks it); `confirm` — a confirmed
 * message reaches the queue but its confirm is lost, so the publisher times out not knowing whether it arrived,
 * and a retry publishes it twice.
 */
export type PublishLoss = 'message' | 'confirm';

/** True when a publish command asks for a publisher confirm (its fifth word, 1 by default). */
export function isConfirmedPublish(cmd: BrokerCommand): boolean {
  return cmd[0] === 'AMQP.PUBLISH' && (cmd[4] === undefined || flag(cmd[4]));
}

/** A publish, going wrong as `loss` says, if at all. */
function publish(broker: BrokerModel, cmd: BrokerCommand, loss: PublishLoss | null): BrokerOutcome {
  const confirmed = isConfirmedPublish(cmd);
  if (loss === 'message') return { reply: confirmed ? 'nack' : 'sent', settled: [], lost: 'message' };
  broker.publish(String(cmd[1]), String(cmd[2]), cmd[3] === undefined ? {} : { messageId: String(cmd[3]) });
  if (loss === 'confirm' && confirmed) return { reply: 'timeout', settled: [], lost: 'confirm' };
  return { reply: confirmed ? 'ack' : 'sent', settled: [] };
}

/**
 * Executes `cmd` on `broker` for `channel`; a publish goes wrong as `loss` says (see {@link PublishLoss}).
 * @example execBroker(broker, 'A', ['AMQP.CONSUME', 'payments', 1, 0]) // { reply: 'ctag-1', settled: [] }
 */
export function execBroker(broker: BrokerModel, channel: string, cmd: BrokerCommand, loss: PublishLoss | null = null): BrokerOutcome {
  const [name, ...args] = cmd;
  switch (name) {
    case 'AMQP.PUBLISH': return publish(broker, cmd, loss);
    case 'AMQP.CONSUME': {
      const result = broker.consume(channel, String(args[0]), { prefetch: Number(args[1] ?? 0), autoAck: flag(args[2]) });
      return result.ok ? { reply: result.consumerTag, settled: [] } : settle(result);
    }
    case 'AMQP.ACK':
    case 'AMQP.NACK':
    case 'AMQP.REJECT':
      // amqplib refuses to send on a closed channel (IllegalOperationError): the broker never hears of it.
      if (!broker.isOpen(channel)) return { reply: { error: 'channel closed' }, settled: [] };
      return settleCommand(broker, channel, String(name), args);
    default: return { reply: { error: `unknown broker command '${String(name)}'` }, settled: [] };
  }
}

/** An ack, nack or reject on an open channel. */
function settleCommand(broker: BrokerModel, channel: string, name: string, args: readonly (string | number)[]): BrokerOutcome {
  switch (name) {
    case 'AMQP.ACK': return settle(broker.ack(channel, Number(args[0])));
    case 'AMQP.NACK': return settle(broker.nack(channel, Number(args[0]), { requeue: flag(args[1]) }));
    default: return settle(broker.reject(channel, Number(args[0]), { requeue: flag(args[1]) }));
  }
}
