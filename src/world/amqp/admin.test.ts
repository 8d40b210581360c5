// Queue administration in the broker model (declare equivalence, delete, purge, passive declare) and the
// envelope a client attaches to a message. Expected texts and counts are what RabbitMQ 3.10 answered.
import { describe, expect, it } from 'vitest';
import { BrokerModel } from './broker.ts';

/** A broker with queue `q` holding `n` messages and a consumer on channel `ch` that received the first. */
function withDelivery(n: number): BrokerModel {
  const broker = new BrokerModel();
  broker.declareQueue('q');
  for (let i = 1; i <= n; i++) broker.publish('q', `m${i}`);
  const consumer = broker.consume('ch', 'q');
  if (!consumer.ok) throw new Error(consumer.error);
  broker.deliver(consumer.consumerTag);
  return broker;
}

describe('declareQueue equivalence', () => {
  const declared = () => {
    const broker = new BrokerModel();
    broker.declareQueue('q', { deadLetterQueue: 'a' });
    return broker;
  };
  const where = "for queue 'q' in vhost '/'";

  it('compares durability first, then the dead-letter exchange, then its routing key', () => {
    expect(declared().declareQueue('q', { durable: true, deadLetterQueue: 'b' })).toEqual({
      ok: false, error: `PRECONDITION_FAILED - inequivalent arg 'durable' ${where}: received 'true' but current is 'false'`,
    });
    expect(declared().declareQueue('q', { deadLetterQueue: 'b' })).toEqual({
      ok: false, error: `PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-routing-key' ${where}: received 'b' but current is 'a'`,
    });
    expect(declared().declareQueue('q')).toEqual({
      ok: false, error: `PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-exchange' ${where}: received none but current is the value '' of type 'longstr'`,
    });
    const plain = new BrokerModel();
    plain.declareQueue('q');
    expect(plain.declareQueue('q', { deadLetterQueue: 'a' })).toEqual({
      ok: false, error: `PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-exchange' ${where}: received the value '' of type 'longstr' but current is none`,
    });
    expect(declared().declareQueue('q', { deadLetterQueue: 'a', durable: false })).toEqual({ ok: true });
  });

  it('shows durability in the snapshot only when declared durable', () => {
    const broker = new BrokerModel();
    broker.declareQueue('d', { durable: true });
    broker.declareQueue('e');
    expect(broker.snapshot().queues).toEqual([
      { name: 'd', deadLetterQueue: null, durable: true, ready: [] },
      { name: 'e', deadLetterQueue: null, ready: [] },
    ]);
  });
});

describe('deleteQueue', () => {
  it('answers the ready count, cancels the consumers, and leaves unacked deliveries ackable', () => {
    const broker = withDelivery(3);
    expect(broker.deleteQueue('q')).toEqual({ ok: true, messageCount: 2, cancelled: ['ctag-1'] });
    expect(broker.checkQueue('q')).toEqual({ ok: false, error: "NOT_FOUND - no queue 'q' in vhost '/'" });
    expect(broker.consumers()).toEqual([]);
    expect(broker.ack('ch', 1)).toEqual({ ok: true, settled: [{ messageId: 'm1', queue: 'q', deliveryTag: 1, outcome: 'acked' }] });
  });

  it('drops an unacked message of a deleted queue when it is requeued, even into a new queue of that name', () => {
    const broker = withDelivery(1);
    broker.deleteQueue('q');
    broker.declareQueue('q');
    expect(broker.unacked('ch')).toEqual([
      { messageId: 'm1', payload: 'm1', rank: 0, deliveryTag: 1, consumerTag: 'ctag-1', queue: 'q', orphaned: true },
    ]);
    expect(broker.closeChannel('ch')).toEqual([{ messageId: 'm1', queue: 'q', deliveryTag: 1, outcome: 'dropped' }]);
    expect(broker.checkQueue('q')).toEqual({ ok: true, messageCount: 0, consumerCount: 0 });
  });

  it('succeeds with 0 for a missing queue, and refuses a used or non-empty one when asked to', () => {
    const broker = withDelivery(2);
    expect(broker.deleteQueue('nope')).toEqual({ ok: true, messageCount: 0, cancelled: [] });
    expect(broker.deleteQueue('q', { ifUnused: true })).toEqual({ ok: false, error: "PRECONDITION_FAILED - queue 'q' in vhost '/' in use" });
    expect(broker.deleteQueue('q', { ifEmpty: true })).toEqual({ ok: false, error: "PRECONDITION_FAILED - queue 'q' in vhost '/' not empty" });
    expect(broker.checkQueue('q')).toEqual({ ok: true, messageCount: 1, consumerCount: 1 });
  });
});

describe('purgeQueue and checkQueue', () => {
  it('purges ready messages only; an unacked one comes back on close', () => {
    const broker = withDelivery(3);
    expect(broker.purgeQueue('q')).toEqual({ ok: true, messageCount: 2 });
    broker.closeChannel('ch');
    expect(broker.checkQueue('q')).toEqual({ ok: true, messageCount: 1, consumerCount: 0 });
    expect(broker.purgeQueue('nope')).toEqual({ ok: false, error: "NOT_FOUND - no queue 'nope' in vhost '/'" });
  });
});

describe('envelope, hasRoom, consumers', () => {
  it('carries the envelope to the delivery untouched, and leaves it out when none was attached', () => {
    const broker = new BrokerModel();
    broker.declareQueue('q');
    const envelope = { headers: { a: 1 } };
    broker.publish('q', 'x', { envelope });
    broker.publish('q', 'y');
    const { consumerTag } = broker.consume('ch', 'q') as { consumerTag: string };
    expect(broker.deliver(consumerTag).envelope).toBe(envelope);
    expect('envelope' in broker.deliver(consumerTag)).toBe(false);
  });

  it('hasRoom follows the prefetch limit whether or not a message is ready; consumers are in start order', () => {
    const broker = withDelivery(1);
    broker.consume('ch2', 'q', { prefetch: 1 });
    broker.consume('ch3', 'q', { prefetch: 1, autoAck: true });
    expect(broker.consumers().map((c) => c.consumerTag)).toEqual(['ctag-1', 'ctag-2', 'ctag-3']);
    expect(['ctag-1', 'ctag-2', 'ctag-3', 'ctag-9'].map((t) => broker.hasRoom(t))).toEqual([true, true, true, false]);
    broker.publish('q', 'm2');
    broker.deliver('ctag-2');
    expect(broker.hasRoom('ctag-2')).toBe(false);
  });
});
