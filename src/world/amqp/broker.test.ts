import { describe, expect, it } from 'vitest';
import { BrokerModel } from './broker.ts';
import type { ChannelResult, Delivery } from './types.ts';

/** A broker with queue `q` (dead-lettering to `dlq`, also declared) holding `ids` as messages. */
function brokerWith(...ids: string[]): BrokerModel {
  const broker = new BrokerModel();
  broker.declareQueue('dlq');
  broker.declareQueue('q', { deadLetterQueue: 'dlq' });
  for (const id of ids) broker.publish('q', `body ${id}`, { messageId: id });
  return broker;
}

/** Starts a consumer and returns its tag, failing the test on a channel error. */
function consume(broker: BrokerModel, channel: string, queue = 'q', options: { prefetch?: number; autoAck?: boolean } = {}): string {
  const result = broker.consume(channel, queue, options);
  if (!result.ok) throw new Error(result.error);
  return result.consumerTag;
}

const ids = (broker: BrokerModel, queue = 'q') => broker.snapshot().queues.find((q) => q.name === queue)!.ready.map((r) => r.messageId);
const brief = ({ deliveryTag, messageId, redelivered }: Delivery) => ({ deliveryTag, messageId, redelivered });
const outcomes = (result: ChannelResult | readonly { messageId: string; outcome: string }[]) =>
  ('settled' in result ? result.settled : result).map(({ messageId, outcome }) => `${messageId}:${outcome}`);

describe('publish', () => {
  it('confirms, numbers publishes and routes by queue name; an unknown queue drops the message but still confirms', () => {
    const broker = brokerWith();
    expect(broker.publish('q', 'a', { messageId: 'a' })).toEqual({ confirm: 'ack', seq: 1, messageId: 'a', routed: true });
    expect(broker.publish('q', 'b')).toEqual({ confirm: 'ack', seq: 2, messageId: 'm2', routed: true });
    expect(broker.publish('nowhere', 'c')).toEqual({ confirm: 'ack', seq: 3, messageId: 'm3', routed: false });
    expect(ids(broker)).toEqual(['a', 'm2']);
  });

  it('refuses to redeclare a queue with another dead-letter queue', () => {
    const broker = brokerWith();
    expect(broker.declareQueue('q', { deadLetterQueue: 'dlq' })).toEqual({ ok: true });
    expect(broker.declareQueue('q')).toEqual({
      ok: false, error: "PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-exchange' for queue 'q' in vhost '/': received none but current is the value '' of type 'longstr'",
    });
  });
});

describe('delivery and channel close', () => {
  it('redelivers unacked messages with the flag set when the channel closes; tags restart on a new channel', () => {
    const broker = brokerWith('a', 'b');
    const c1 = consume(broker, 'ch1');
    expect(brief(broker.deliver(c1))).toEqual({ deliveryTag: 1, messageId: 'a', redelivered: false });
    expect(brief(broker.deliver(c1))).toEqual({ deliveryTag: 2, messageId: 'b', redelivered: false });
    expect(broker.queueDepth('q')).toBe(0);
    expect(outcomes(broker.closeChannel('ch1'))).toEqual(['a:requeued', 'b:requeued']);
    expect(broker.deliverable()).toEqual([]); // the consumer was cancelled with its channel
    const c2 = consume(broker, 'ch2');
    expect(brief(broker.deliver(c2))).toEqual({ deliveryTag: 1, messageId: 'a', redelivered: true });
    const c3 = consume(broker, 'ch1'); // the same name opens a fresh channel
    expect(broker.deliver(c3)).toEqual({ consumerTag: c3, channel: 'ch1', queue: 'q', deliveryTag: 1, messageId: 'b', payload: 'body b', redelivered: true });
  });

  it('respects prefetch: a consumer at its limit is not deliverable until an ack frees a slot', () => {
    const broker = brokerWith('a', 'b', 'c');
    const one = consume(broker, 'ch1', 'q', { prefetch: 1 });
    const unlimited = consume(broker, 'ch2');
    expect(broker.deliverable()).toEqual([{ consumerTag: one, queue: 'q' }, { consumerTag: unlimited, queue: 'q' }]);
    broker.deliver(one);
    expect(broker.deliverable()).toEqual([{ consumerTag: unlimited, queue: 'q' }]);
    expect(() => broker.deliver(one)).toThrow(/cannot receive/);
    expect(outcomes(broker.ack('ch1', 1))).toEqual(['a:acked']);
    expect(broker.deliverable().map((d) => d.consumerTag)).toEqual([one, unlimited]);
  });

  it('counts prefetch per consumer, not per channel', () => {
    const broker = brokerWith('a', 'b');
    const first = consume(broker, 'ch1', 'q', { prefetch: 1 });
    const second = consume(broker, 'ch1', 'q', { prefetch: 1 });
    broker.deliver(first);
    expect(broker.deliverable()).toEqual([{ consumerTag: second, queue: 'q' }]);
  });

  it('lists nothing for an empty queue and refuses to consume from an unknown one', () => {
    const broker = brokerWith();
    consume(broker, 'ch1');
    expect(broker.deliverable()).toEqual([]);
    expect(broker.consume('ch1', 'nope')).toEqual({ ok: false, error: "NOT_FOUND - no queue 'nope' in vhost '/'", settled: [] });
    expect(broker.snapshot().consumers).toEqual([]); // the channel error closed ch1 and cancelled its consumer
  });

  it('auto-ack: the message is gone on delivery, so a crash afterwards loses it (bug 5)', () => {
    const broker = brokerWith('a');
    const c = consume(broker, 'ch1', 'q', { autoAck: true, prefetch: 1 });
    expect(brief(broker.deliver(c))).toEqual({ deliveryTag: 1, messageId: 'a', redelivered: false });
    expect(broker.unacked('ch1')).toEqual([]);
    expect(broker.closeChannel('ch1')).toEqual([]);
    expect(broker.queueDepth('q')).toBe(0);
  });

  it('a crash before ack redelivers to the next worker (bug 4)', () => {
    const broker = brokerWith('charge-1');
    broker.deliver(consume(broker, 'worker-a', 'q', { prefetch: 1 }));
    broker.closeChannel('worker-a');
    const b = broker.deliver(consume(broker, 'worker-b', 'q', { prefetch: 1 }));
    expect(brief(b)).toEqual({ deliveryTag: 1, messageId: 'charge-1', redelivered: true });
  });

  it('cancel stops deliveries but leaves unacked deliveries to be acked', () => {
    const broker = brokerWith('a', 'b');
    const c = consume(broker, 'ch1');
    broker.deliver(c);
    expect(broker.cancel(c)).toBe(true);
    expect(broker.deliverable()).toEqual([]);
    expect(outcomes(broker.ack('ch1', 1))).toEqual(['a:acked']);
  });
});

describe('ack, nack, reject', () => {
  /** A broker whose consumer on `ch1` holds deliveries 1..n of messages a, b, c, ... */
  function delivered(n: number): BrokerModel {
    const broker = brokerWith(...'abcde'.slice(0, n));
    const c = consume(broker, 'ch1');
    for (let i = 0; i < n; i++) broker.deliver(c);
    return broker;
  }

  it('nack with requeue puts the message back, redelivered next time', () => {
    const broker = delivered(1);
    expect(outcomes(broker.nack('ch1', 1, { requeue: true }))).toEqual(['a:requeued']);
    expect(brief(broker.deliver('ctag-1'))).toEqual({ deliveryTag: 2, messageId: 'a', redelivered: true });
  });

  it('nack and reject without requeue dead-letter to the declared queue, as a fresh message there', () => {
    const broker = delivered(2);
    expect(broker.nack('ch1', 1, { requeue: false })).toEqual({
      ok: true, settled: [{ messageId: 'a', queue: 'q', deliveryTag: 1, outcome: 'dead-lettered', to: 'dlq' }],
    });
    expect(outcomes(broker.reject('ch1', 2, { requeue: false }))).toEqual(['b:dead-lettered']);
    expect(ids(broker, 'dlq')).toEqual(['a', 'b']);
    expect(broker.snapshot().queues[0].ready.every((r) => !r.redelivered)).toBe(true);
  });

  it('drops a message rejected without requeue when no dead-letter queue exists', () => {
    const broker = new BrokerModel();
    broker.declareQueue('q', { deadLetterQueue: 'missing' });
    broker.publish('q', 'x');
    broker.deliver(consume(broker, 'ch1'));
    expect(outcomes(broker.reject('ch1', 1, { requeue: false }))).toEqual(['m1:dropped']);
    expect(broker.fingerprint()).toBe(JSON.stringify({
      queues: [{ name: 'q', deadLetterQueue: 'missing', ready: [] }],
      channels: [{ name: 'ch1', nextDeliveryTag: 2, unacked: [] }],
      consumers: [{ consumerTag: 'ctag-1', channel: 'ch1', queue: 'q', prefetch: 0, autoAck: false }],
      published: 1, consumersStarted: 1,
    }));
  });

  it('reject with requeue puts the message back', () => {
    const broker = delivered(1);
    expect(outcomes(broker.reject('ch1', 1, { requeue: true }))).toEqual(['a:requeued']);
    expect(ids(broker)).toEqual(['a']);
  });

  it('multiple = true settles every unacked delivery up to the tag, and tag 0 settles all', () => {
    const broker = delivered(4);
    expect(outcomes(broker.ack('ch1', 3, { multiple: true }))).toEqual(['a:acked', 'b:acked', 'c:acked']);
    expect(broker.unacked('ch1').map((u) => u.deliveryTag)).toEqual([4]);
    const other = delivered(3);
    expect(outcomes(other.nack('ch1', 0, { requeue: true, multiple: true }))).toEqual(['a:requeued', 'b:requeued', 'c:requeued']);
  });

  it('multiple = true on a tag that is not outstanding is a channel error, even when lower tags are', () => {
    const broker = delivered(3);
    broker.ack('ch1', 2);
    expect(broker.ack('ch1', 2, { multiple: true })).toMatchObject({ ok: false, error: 'PRECONDITION_FAILED - unknown delivery tag 2' });
  });

  it('a double ack is a channel error that closes the channel and requeues its other unacked messages', () => {
    const broker = delivered(3);
    expect(broker.ack('ch1', 2).ok).toBe(true);
    const result = broker.ack('ch1', 2);
    expect(result).toEqual({
      ok: false, error: 'PRECONDITION_FAILED - unknown delivery tag 2',
      settled: [
        { messageId: 'a', queue: 'q', deliveryTag: 1, outcome: 'requeued' },
        { messageId: 'c', queue: 'q', deliveryTag: 3, outcome: 'requeued' },
      ],
    });
    expect(ids(broker)).toEqual(['a', 'c']);
    expect(broker.snapshot().channels).toEqual([]);
    expect(broker.snapshot().consumers).toEqual([]);
  });

  it('an ack on a channel that never received anything is a channel error, but acking all of nothing is fine', () => {
    expect(brokerWith().ack('ch9', 1)).toEqual({ ok: false, error: 'PRECONDITION_FAILED - unknown delivery tag 1', settled: [] });
    // Found by test/amqp-fidelity.test.ts: RabbitMQ accepts basic.ack(0, multiple) with nothing outstanding.
    expect(brokerWith().ack('ch9', 0, { multiple: true })).toEqual({ ok: true, settled: [] });
    expect(brokerWith().nack('ch9', 0, { multiple: true, requeue: true })).toEqual({ ok: true, settled: [] });
  });
});

describe('requeue order', () => {
  it('requeued messages go back by original position, ahead of never-delivered ones', () => {
    const broker = brokerWith('a', 'b', 'c', 'd', 'e');
    const c1 = consume(broker, 'ch1');
    const c2 = consume(broker, 'ch2');
    broker.deliver(c1); // a
    broker.deliver(c2); // b
    broker.deliver(c1); // c
    broker.closeChannel('ch1'); // a, c back
    expect(ids(broker)).toEqual(['a', 'c', 'd', 'e']);
    broker.nack('ch2', 1, { requeue: true }); // b slots between a and c
    expect(ids(broker)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(broker.snapshot().queues[1].ready.map((r) => r.redelivered)).toEqual([true, true, true, false, false]);
  });

  it('a multi-message requeue keeps publish order whatever order the channel held them in', () => {
    const broker = brokerWith('a', 'b', 'c');
    const c1 = consume(broker, 'ch1');
    broker.deliver(c1); // a, tag 1
    broker.deliver(c1); // b, tag 2
    broker.nack('ch1', 1, { requeue: true }); // a back
    broker.deliver(c1); // a again, tag 3 (after b on the channel)
    broker.closeChannel('ch1');
    expect(ids(broker)).toEqual(['a', 'b', 'c']);
  });
});

describe('snapshot, fingerprint, clone', () => {
  it('gives equal fingerprints for equal states reached differently, and distinguishes different ones', () => {
    const viaAck = brokerWith('a', 'b');
    viaAck.deliver(consume(viaAck, 'ch1'));
    viaAck.ack('ch1', 1);
    const viaMultiple = brokerWith('a', 'b');
    viaMultiple.deliver(consume(viaMultiple, 'ch1'));
    viaMultiple.ack('ch1', 1, { multiple: true });
    expect(viaAck.fingerprint()).toBe(viaMultiple.fingerprint());
    viaMultiple.deliver('ctag-1');
    expect(viaAck.fingerprint()).not.toBe(viaMultiple.fingerprint());
  });

  it('ranks positions per queue, so the order of writes to unrelated queues does not matter', () => {
    const make = (dlqFirst: boolean) => {
      const broker = brokerWith('a');
      broker.deliver(consume(broker, 'ch1'));
      const dead = () => broker.reject('ch1', 1, { requeue: false });
      const publish = () => broker.publish('q', 'body b', { messageId: 'b' });
      if (dlqFirst) { dead(); publish(); } else { publish(); dead(); }
      return broker;
    };
    expect(make(true).fingerprint()).toBe(make(false).fingerprint());
  });

  it('clones independently', () => {
    const broker = brokerWith('a');
    const c = consume(broker, 'ch1');
    const branch = broker.clone();
    expect(branch.fingerprint()).toBe(broker.fingerprint());
    branch.deliver(c);
    branch.closeChannel('ch1');
    expect(broker.snapshot().queues[1].ready).toEqual([{ messageId: 'a', payload: 'body a', rank: 0, redelivered: false }]);
    expect(branch.snapshot().queues[1].ready[0].redelivered).toBe(true);
    expect(broker.deliverable()).toEqual([{ consumerTag: c, queue: 'q' }]);
  });
});
