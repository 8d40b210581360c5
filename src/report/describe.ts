/**
 * Words for what happened: a command and its reply as a person reads them (`SET lock a NX EX 5 → OK`,
 * `GET stock → "1"`, `DEL lock → 1  (removed "B-71c3")`).
 */
import type { RunEvent } from '../sim/events.ts';
import { isRedisError, type RedisReply } from '../world/redis/types.ts';
import type { Settlement } from '../world/amqp/types.ts';

/** A reply as redis-cli would show it, shortened: OK, nil, integers bare, strings quoted. */
function describeReply(reply: unknown): string {
  if (reply === null || reply === undefined) return 'nil';
  if (reply === 'OK' || typeof reply === 'number') return String(reply);
  if (typeof reply === 'string' || Array.isArray(reply)) return JSON.stringify(reply);
  if (isRedisError(reply as RedisReply)) return `(error) ${(reply as { error: string }).error}`;
  return JSON.stringify(reply);
}

/** What the broker did with a message it settled (plain acks show as the consumer's command instead). */
function describeSettlement(s: Settlement): string {
  switch (s.outcome) {
    case 'acked': return `✓ ${s.messageId} auto-acked: gone from the broker`;
    case 'requeued': return `↩ ${s.messageId} requeued to ${s.queue}`;
    case 'dead-lettered': return `↩ ${s.messageId} dead-lettered to ${s.to}`;
    case 'dropped': return `↩ ${s.messageId} dropped`;
  }
}

/** A killed connection, and what the judge reads became of the command it carried. */
function describeDisconnect(event: Extract<RunEvent, { kind: 'disconnect' }>): string {
  const command = event.command.join(' ');
  switch (event.outcome) {
    case 'answered': return `⚡ the server kills its Redis connection, after the reply to ${command}`;
    case 'ran': return `⚡ the server kills its Redis connection: no reply to ${command} (taken as run: ${describeReply(event.reply)})`;
    case 'not-run': return `⚡ the server kills its Redis connection: no reply to ${command} (taken as not run)`;
  }
}

/** One event as the text in its lane. */
export function describeEvent(event: RunEvent): string {
  switch (event.kind) {
    case 'arrive': return 'arrives';
    case 'deliver': {
      const d = event.delivery;
      return `⇐ delivery #${d.deliveryTag} of ${d.messageId} ${JSON.stringify(d.payload)} from ${d.queue}${d.redelivered ? ' (redelivered)' : ''}`;
    }
    case 'pause': return `‖ pauses for ${event.ms} ms (until t=${event.t + event.ms})`;
    case 'resume': return '▶ resumes';
    case 'crash': return '✗ crashes';
    case 'close': return '✂ the broker closes its channel';
    case 'closed': return '⇐ hears its channel is closed';
    case 'restart': return '↻ restarts (a new process, a new channel)';
    case 'lost': switch (event.what) {
      case 'message': return `✗ ${event.messageId} lost on the way to ${event.queue} (unconfirmed)`;
      case 'nacked': return `✗ ${event.messageId} not taken by ${event.queue}: the broker nacks it`;
      case 'confirm': return `✗ confirm of ${event.messageId} lost: it is in ${event.queue}, the publisher times out`;
    }
    case 'done': return 'finishes';
    case 'jump': return `⏭ clock jumps ${event.by > 0 ? '+' : ''}${event.by} ms`;
    case 'settle': return describeSettlement(event.settlement);
    case 'expire': return `⌛ ${event.key} expires (was ${JSON.stringify(event.value)})`;
    case 'disconnect': return describeDisconnect(event);
    case 'stall': return `⏸ stalled: CLIENT PAUSE ${event.ms} ms WRITE, writes wait`;
    case 'stall-over': return '▶ the stall is over: the writes it held run';
    case 'command': {
      const [name, ...args] = event.command;
      if (name === 'NOW') return `reads its clock → ${String(event.reply)}`;
      if (name === 'SLEEP') return `sleeps ${String(args[0])} ms by its clock (until t=${event.until})`;
      const removed = event.changes.filter((c) => c.to === null).map((c) => `removed ${JSON.stringify(c.from)}`);
      const text = `${event.command.join(' ')} → ${describeReply(event.reply)}`;
      return removed.length > 0 ? `${text}  (${removed.join(', ')})` : text;
    }
  }
}
