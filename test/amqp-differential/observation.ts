/**
 * What the AMQP differential test observes after each step, on every backend, and how two runs are compared.
 *
 * Compared exactly, because each is deterministic once a step has settled:
 * - the command's result: done, skipped (nothing to settle or cancel), refused by the client library (the
 *   channel is closed), or the channel error the broker closed the channel with (its reply text);
 * - the deliveries the step caused: slot, delivery tag, consumer (by the order consumers were started),
 *   payload and redelivered flag. Which message comes next shows RabbitMQ's requeue order (a requeued message
 *   goes back to its original place, ahead of never-delivered ones); which consumer gets it shows its
 *   round-robin (`rabbit_queue_consumers`: consumers wait in a line; one found at its prefetch limit leaves
 *   it and rejoins at the back when an ack frees it), which src/world/amqp/round-robin.ts follows. Both are
 *   deterministic here because each step settles before the next starts;
 * - ready messages and consumers per queue (a passive declare's counts);
 * - per slot, which messages are outstanding (delivered, not yet settled) — the model's own record on the
 *   model, the client's record (deliveries received minus those settled) on the client backends.
 *
 * Not deterministic in RabbitMQ, so kept out of the comparison or out of the sequences: the arrival order of
 * deliveries on different channels (deliveries are listed by slot, then tag); a channel fed by two queues
 * (each slot consumes one queue); a multiple ack or nack spanning several consumers of one channel (RabbitMQ
 * settles them one consumer at a time in the order of their random tags — see `SlotBook.mayConsume`); the
 * order of publisher confirms (each publish waits for its own).
 */
import type { QueueRole } from './commands.ts';

/** The state after one step. */
export interface Observation {
  /** `ok`; `skipped` (nothing to cancel); `illegal` (amqplib refused, the channel is closed); `closed: <text>`. */
  readonly result: string;
  /** `s<slot> #<tag> c<consumer> <payload>`, `redelivered` appended; sorted by slot, then tag. */
  readonly deliveries: readonly string[];
  /** Ready messages per queue. */
  readonly ready: Readonly<Record<QueueRole, number>>;
  /** Consumers per queue. */
  readonly consumers: Readonly<Record<QueueRole, number>>;
  /** Per slot: `closed`, or the outstanding payloads in tag order. */
  readonly slots: readonly string[];
}

/** One delivery as an observation line. */
export interface DeliveryFact {
  readonly slot: number;
  readonly tag: number;
  readonly consumer: number;
  readonly payload: string;
  readonly redelivered: boolean;
}

/**
 * The sorted observation lines of `deliveries`.
 * @example deliveryLines([{ slot: 0, tag: 1, consumer: 0, payload: 'p1', redelivered: true }]) // ['s0 #1 c0 p1 redelivered']
 */
export function deliveryLines(deliveries: readonly DeliveryFact[]): string[] {
  return [...deliveries]
    .sort((a, b) => a.slot - b.slot || a.tag - b.tag)
    .map((d) => `s${d.slot} #${d.tag} c${d.consumer} ${d.payload}${d.redelivered ? ' redelivered' : ''}`);
}

/**
 * The reply text inside amqplib's channel-error message (`... with message "<text>"`), as the model states it.
 * @example replyText('Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 3"')
 * // 'PRECONDITION_FAILED - unknown delivery tag 3'
 */
export function replyText(message: string): string {
  return /with message "(.*)"$/s.exec(message)?.[1] ?? message;
}

/**
 * The fields in which `actual` differs from `expected`, as `field: expected ≠ actual` lines; empty when equal.
 * @example differences(a, b) // ['ready: {"q":1,"dlq":0} ≠ {"q":0,"dlq":0}']
 */
export function differences(expected: Observation, actual: Observation): string[] {
  return (Object.keys(expected) as (keyof Observation)[])
    .filter((key) => JSON.stringify(expected[key]) !== JSON.stringify(actual[key]))
    .map((key) => `${key}: ${JSON.stringify(expected[key])} ≠ ${JSON.stringify(actual[key])}`);
}
