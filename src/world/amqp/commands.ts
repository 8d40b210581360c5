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
  /** For a publish the connection lost: what it lost (the message, or the confirm of a message that arrived). */
  readonly lost?: 'message' | 'confirm';
}

/** True for a command meant for the broker. */
export function isBrokerCommand(cmd: readonly unknown[]): boolean {
  return typeof cmd[0] === 'string' && cmd[0].startsWith('AMQP.');
}

/** A boolean argument, sent as 1 or 0. */
const flag = (value: unknown) => Number(value) === 1;

/** An ack/nack/reject/consume result as a command outcome: `'OK'`, or the channel error. */
const settle = (result: { ok: boolean; settled: readonly Settlement[]; error?: string }): BrokerOutcome =>
  ({ reply: result.ok ? 'OK' : { error: result.error! }, settled: result.settled });

/**
 * A publish. With `lossy`, the connection drops with it in flight: an unconfirmed message never reaches the
 * broker (the publisher cannot tell); a confirmed one does, but its confirm is lost and the publisher times out
 * (`'timeout'`), not knowing whether it arrived — so a retry may publish it twice.
 */
function publish(broker: BrokerModel, args: readonly (string | number)[], lossy: boolean): BrokerOutcome {
  const confirmed = args[3] === undefined || flag(args[3]);
  if (lossy && !confirmed) return { reply: 'sent', settled: [], lost: 'message' };
  broker.publish(String(args[0]), String(args[1]), args[2] === undefined ? {} : { messageId: String(args[2]) });
  if (lossy) return { reply: 'timeout', settled: [], lost: 'confirm' };
  return { reply: confirmed ? 'ack' : 'sent', settled: [] };
}

/**
 * Executes `cmd` on `broker` for `channel`; `lossy` makes a publish lose its message or confirm (see `publish`).
 * @example execBroker(broker, 'A', ['AMQP.CONSUME', 'payments', 1, 0]) // { reply: 'ctag-1', settled: [] }
 */
export function execBroker(broker: BrokerModel, channel: string, cmd: BrokerCommand, lossy = false): BrokerOutcome {
  const [name, ...args] = cmd;
  switch (name) {
    case 'AMQP.PUBLISH': return publish(broker, args, lossy);
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
