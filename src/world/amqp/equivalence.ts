/**
 * Redeclaring a queue must repeat its arguments. RabbitMQ compares `durable` first, then the optional arguments
 * in a fixed order (`x-dead-letter-exchange` before `x-dead-letter-routing-key`), and refuses the first that
 * differs with a channel error whose text names it (`rabbit_amqqueue:assert_equivalence`; the texts below are
 * RabbitMQ 3.10's, checked against a real server by test/amqp-conformance.test.ts).
 */
import type { Queue, QueueSettings } from './queue.ts';

/** RabbitMQ's rendering of an argument absent on one side: `none`, or its value and type. */
const shown = (value: string | null) => (value === null ? 'none' : `the value '${value}' of type 'longstr'`);

/**
 * The `PRECONDITION_FAILED` text for redeclaring `existing` with `requested`, or `null` when they are equivalent.
 * The model's dead-letter queue stands for `x-dead-letter-exchange` '' plus `x-dead-letter-routing-key` = its name.
 * @example inequivalence(queue, { durable: true })
 * // "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'q' in vhost '/': received 'true' but current is 'false'"
 */
export function inequivalence(existing: Queue, requested: QueueSettings): string | null {
  const where = `for queue '${existing.name}' in vhost '/'`;
  const durable = requested.durable ?? false;
  if (durable !== existing.durable) {
    return `PRECONDITION_FAILED - inequivalent arg 'durable' ${where}: received '${durable}' but current is '${existing.durable}'`;
  }
  const [was, now] = [existing.deadLetterQueue, requested.deadLetterQueue ?? null];
  if (was === now) return null;
  // Both set: the exchange ('') agrees and the routing keys, of one type, are shown bare; otherwise the exchange
  // is missing on one side.
  const [arg, received, current] = was !== null && now !== null
    ? ['x-dead-letter-routing-key', `'${now}'`, `'${was}'`]
    : ['x-dead-letter-exchange', shown(now === null ? null : ''), shown(was === null ? null : '')];
  return `PRECONDITION_FAILED - inequivalent arg '${arg}' ${where}: received ${received} but current is ${current}`;
}
