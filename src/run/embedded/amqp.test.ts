// The embedded broker's own promises, beyond what test/amqp-conformance.test.ts and test/amqp-fidelity.test.ts
// compare with a real RabbitMQ: one broker per URL, deliveries that never arrive inside the call that caused
// them, private copies of message bodies, and loud refusal of what the model does not have.
import type { ConsumeMessage } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { brokerAt, connect, EmbeddedBroker } from './amqp.ts';

/** Resolves after the frames already on the wire have arrived. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('connect', () => {
  it('reaches one broker per URL, as connections to one address reach one server', async () => {
    const [a, b, elsewhere] = await Promise.all([connect('amqp://embedded/one'), connect('amqp://embedded/one'), connect('amqp://embedded/two')]);
    const publisher = await a.createConfirmChannel();
    await publisher.assertQueue('orders', { durable: false });
    publisher.sendToQueue('orders', Buffer.from('o1'));
    await publisher.waitForConfirms();
    expect(await (await b.createChannel()).checkQueue('orders')).toEqual({ queue: 'orders', messageCount: 1, consumerCount: 0 });
    expect(brokerAt('amqp://embedded/one').model.snapshot().queues.map((q) => q.ready.map((m) => m.payload))).toEqual([['o1']]);
    const other = await elsewhere.createChannel();
    other.on('error', () => undefined);
    await expect(other.checkQueue('orders')).rejects.toThrow(/NOT_FOUND - no queue 'orders'/);
    await Promise.all([a.close(), b.close(), elsewhere.close()]);
  });
});

describe('a channel', () => {
  it('delivers on a later turn, never inside the call that made the delivery possible', async () => {
    const channel = await (await new EmbeddedBroker().connect()).createChannel();
    await channel.assertQueue('q', { durable: false });
    const got: string[] = [];
    await channel.consume('q', (m) => got.push(String(m?.content)), { noAck: true });
    channel.sendToQueue('q', Buffer.from('x'));
    expect(got).toEqual([]);
    await turn();
    expect(got).toEqual(['x']);
  });

  it('gives each delivery its own copy of the body: a consumer scribbling on it does not change the redelivery', async () => {
    const channel = await (await new EmbeddedBroker().connect()).createChannel();
    await channel.assertQueue('q', { durable: false });
    const got: ConsumeMessage[] = [];
    await channel.consume('q', (m) => m && got.push(m));
    const body = Buffer.from('abc');
    channel.sendToQueue('q', body);
    body.write('zzz');
    await turn();
    got[0].content.write('yyy');
    channel.nack(got[0]);
    await turn();
    expect(got.map((m) => [String(m.content), m.fields.redelivered])).toEqual([['yyy', false], ['abc', true]]);
  });

  it('names a queue declared without a name', async () => {
    const channel = await (await new EmbeddedBroker().connect()).createChannel();
    expect(await channel.assertQueue('', { durable: false })).toEqual({ queue: 'amq.gen-1', messageCount: 0, consumerCount: 0 });
  });

  it('reports a consumer that throws to a handler-error listener instead of closing, as amqplib does', async () => {
    const channel = await (await new EmbeddedBroker().connect()).createChannel();
    const reported: string[] = [];
    channel.on('handler-error', (error: Error, event: string) => reported.push(`${event}: ${error.message}`));
    await channel.assertQueue('q', { durable: false });
    await channel.consume('q', () => {
      throw new Error('bug');
    }, { noAck: true });
    channel.sendToQueue('q', Buffer.from('x'));
    await turn();
    await turn();
    expect(reported).toEqual(['delivery: bug']);
    expect(await channel.checkQueue('q')).toMatchObject({ consumerCount: 1 });
  });

  it('ignores what is sent after the broker closed it but before the close arrived, and fails the reply then', async () => {
    const channel = await (await new EmbeddedBroker().connect()).createChannel();
    const errors: string[] = [];
    channel.on('error', (error: Error) => errors.push(error.message));
    const unknown = { fields: { deliveryTag: 5 } } as ConsumeMessage;
    channel.ack(unknown);
    channel.ack(unknown); // the broker already closed the channel: ignored, no second error
    await expect(channel.checkQueue('q')).rejects
      .toThrow('Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 5"');
    expect(errors).toHaveLength(1);
  });

  it('refuses, without closing, what the broker model does not have', async () => {
    const channel = await (await new EmbeddedBroker().connect()).createConfirmChannel();
    await expect(channel.assertExchange('x', 'direct')).rejects.toThrow('the embedded broker does not model assertExchange');
    await expect(channel.get('q')).rejects.toThrow('does not model basic.get');
    await expect(channel.prefetch(1, true)).rejects.toThrow('does not model global (per-channel) prefetch');
    await expect(channel.assertQueue('q', { exclusive: true })).rejects.toThrow("does not model the queue option 'exclusive'");
    await expect(channel.assertQueue('q', { deadLetterExchange: 'dlx', deadLetterRoutingKey: 'x' })).rejects.toThrow('dead-lettering other than to a queue');
    await expect(channel.consume('q', () => undefined, { priority: 1 })).rejects.toThrow("does not model the consume option 'priority'");
    expect(() => channel.sendToQueue('q', Buffer.from('x'), { expiration: 1000 })).toThrow("does not model the publish option 'expiration'");
    await expect(channel.prefetch(70_000)).rejects.toThrow(RangeError);
    expect(await channel.assertQueue('q', { durable: false })).toMatchObject({ queue: 'q' });
  });
});

describe('closeConnections', () => {
  it('closes every connection as an operator would: close with CONNECTION_FORCED, no error, and the unacked redelivered', async () => {
    const broker = new EmbeddedBroker();
    const doomed = await broker.connect();
    const events: string[] = [];
    doomed.on('error', (error: Error) => events.push(`error ${error.message}`));
    doomed.on('close', (error?: Error & { code?: number }) => events.push(`close ${error?.code} ${error?.message}`));
    const worker = await doomed.createChannel();
    await worker.assertQueue('q', { durable: false });
    await worker.consume('q', () => undefined);
    worker.sendToQueue('q', Buffer.from('job'));
    await turn();
    broker.closeConnections('maintenance');
    const pending = doomed.createChannel();
    await expect(pending).rejects.toThrow('Channel ended, no reply will be forthcoming');
    expect(events).toEqual(['close 320 Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - maintenance"']);
    const survivor = await (await broker.connect()).createChannel();
    const got: string[] = [];
    await survivor.consume('q', (m) => m && got.push(`${m.content} redelivered=${m.fields.redelivered}`));
    await turn();
    expect(got).toEqual(['job redelivered=true']);
    await expect(doomed.close()).rejects.toThrow(/Connection closed \(Error: Connection closed: 320/);
  });
});
