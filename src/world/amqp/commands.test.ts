/**
 * Pinned tests of broker commands through `execBroker`. Publishing follows RabbitMQ publisher confirms
 * (https://www.rabbitmq.com/docs/confirms): a confirmed publish is acked once the broker has the message; an
 * unconfirmed one tells the publisher nothing. With a lossy connection an unconfirmed message never arrives
 * (the publisher still thinks 'sent'), while a confirmed one arrives but its confirm is lost — the publisher
 * times out, and retrying leaves two copies with the same message id (why consumers must dedupe). A publish to
 * an undeclared queue is confirmed yet dropped by the default exchange (mandatory unset). Settling on a channel
 * the broker closed fails without reaching the broker, as amqplib refuses to send on a closed channel.
 */
import { describe, expect, it } from 'vitest';
import { BrokerModel } from './broker.ts';
import { execBroker } from './commands.ts';

function brokerWithQueue(): BrokerModel {
  const broker = new BrokerModel();
  broker.declareQueue('q');
  return broker;
}

/** Message ids ready in `queue`, in delivery order. */
const readyIds = (broker: BrokerModel, queue = 'q') =>
  broker.snapshot().queues.find((q) => q.name === queue)!.ready.map((r) => r.messageId);

describe('AMQP.PUBLISH', () => {
  it('without a confirm flag, or with 1, replies ack and enqueues the message', () => {
    const broker = brokerWithQueue();
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1'])).toEqual({ reply: 'ack', settled: [] });
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o2', 'm-2', 1])).toEqual({ reply: 'ack', settled: [] });
    expect(readyIds(broker)).toEqual(['m-1', 'm-2']);
  });

  it('with confirm 0 replies sent and enqueues the message', () => {
    const broker = brokerWithQueue();
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1', 0])).toEqual({ reply: 'sent', settled: [] });
    expect(readyIds(broker)).toEqual(['m-1']);
  });

  it('lossy, confirm 0: replies sent, loses the message, the queue stays empty', () => {
    const broker = brokerWithQueue();
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1', 0], 'message')).toEqual({ reply: 'sent', settled: [], lost: 'message' });
    expect(broker.queueDepth('q')).toBe(0);
  });

  it('lossy, confirm 1: times out having lost the confirm, yet the message arrived; a retry makes two copies', () => {
    const broker = brokerWithQueue();
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1', 1], 'confirm')).toEqual({ reply: 'timeout', settled: [], lost: 'confirm' });
    expect(readyIds(broker)).toEqual(['m-1']);
    // The publisher cannot tell whether it arrived, so it retries.
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1', 1])).toEqual({ reply: 'ack', settled: [] });
    expect(broker.queueDepth('q')).toBe(2);
    const consumed = execBroker(broker, 'C', ['AMQP.CONSUME', 'q', 0, 0]);
    const tag = consumed.reply as string;
    const deliveries = [broker.deliver(tag), broker.deliver(tag)];
    expect(deliveries.map((d) => [d.messageId, d.payload])).toEqual([['m-1', 'o1'], ['m-1', 'o1']]);
  });

  it('lost with confirms: the broker nacks, the queue stays empty, and a retry publishes it once', () => {
    const broker = brokerWithQueue();
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1', 1], 'message')).toEqual({ reply: 'nack', settled: [], lost: 'message' });
    expect(broker.queueDepth('q')).toBe(0);
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1', 1]).reply).toBe('ack');
    expect(readyIds(broker)).toEqual(['m-1']);
  });

  it('to an undeclared queue is confirmed but dropped (not routed)', () => {
    const broker = new BrokerModel();
    expect(execBroker(broker, 'P', ['AMQP.PUBLISH', 'nowhere', 'o1', 'm-1'])).toEqual({ reply: 'ack', settled: [] });
    expect(broker.queueDepth('nowhere')).toBe(0);
    expect(broker.publish('nowhere', 'o2', { messageId: 'm-2' })).toMatchObject({ confirm: 'ack', routed: false });
    expect(broker.snapshot().queues).toEqual([]);
  });
});

describe('AMQP.ACK on a closed channel', () => {
  it('fails with "channel closed" and settles nothing: the closing already requeued the message', () => {
    const broker = brokerWithQueue();
    execBroker(broker, 'P', ['AMQP.PUBLISH', 'q', 'o1', 'm-1']);
    const tag = execBroker(broker, 'C', ['AMQP.CONSUME', 'q', 1, 0]).reply as string;
    const delivery = broker.deliver(tag);
    expect(broker.closeChannel('C').map((s) => s.outcome)).toEqual(['requeued']);
    expect(execBroker(broker, 'C', ['AMQP.ACK', delivery.deliveryTag])).toEqual({ reply: { error: 'channel closed' }, settled: [] });
    expect(readyIds(broker)).toEqual(['m-1']);
  });
});
