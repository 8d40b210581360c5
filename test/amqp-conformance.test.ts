// The embedded broker behaves as amqplib on a real RabbitMQ where the random differential test does not look:
// queue administration, channel and connection errors (codes, texts, events, what later calls do), publisher
// confirms, message properties, and a consumer callback that throws. Each scenario logs what the client sees;
// the embedded broker's log is pinned, and a real RabbitMQ (when present) must log the same.
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import amqplib from 'amqplib';
import { describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../src/run/embedded/amqp.ts';
import { AMQP_URL, service } from './services.ts';

const amqp = await service('amqp', AMQP_URL);

/** What a scenario gets: a fresh connection, a queue name of its own, and a log. */
interface Run {
  readonly connection: ChannelModel;
  /** Opens another connection to the same broker (the scenario closes it). */
  readonly connect: () => Promise<ChannelModel>;
  readonly q: string;
  readonly log: (line: string) => void;
  /** A channel whose 'error' and 'close' events are logged as `<name> error …` / `<name> close`. */
  channel(name: string): Promise<Channel>;
  /** The same, with publisher confirms. */
  confirmChannel(name: string): Promise<ConfirmChannel>;
  /** Resolves once every frame already sent to the client has arrived (a round trip on a fresh channel). */
  settle(): Promise<void>;
}

/** `ok <value>` or `<ErrorName> <code?> <message>`, for a call that may fail. */
async function outcome(call: () => unknown): Promise<string> {
  try {
    return `ok ${JSON.stringify(await call())}`;
  } catch (error) {
    const { name, message, code } = error as Error & { code?: number };
    return `${name}${code === undefined ? '' : ` ${code}`}: ${message}`;
  }
}

let runs = 0;

const SCENARIOS: Record<string, (run: Run) => Promise<void>> = {
  'declaring: replies, an inequivalent redeclare, and what the closed channel does next': async ({ q, log, channel }) => {
    const ch = await channel('ch');
    log(await outcome(() => ch.assertQueue(q, { durable: false })));
    log(await outcome(() => ch.assertQueue(q)));
    log(await outcome(() => ch.checkQueue(q)));
    log(await outcome(() => ch.close()));
    const other = await channel('other');
    log(await outcome(() => other.assertQueue(q, { durable: false, deadLetterExchange: '', deadLetterRoutingKey: `${q}.dlq` })));
    log(await outcome(() => other.deleteQueue(`${q}.nope`)));
    const dead = { durable: false, deadLetterExchange: '', deadLetterRoutingKey: 'a' };
    log(await outcome(async () => (await channel('dlx')).assertQueue(`${q}.dlq`, dead)));
    log(await outcome(async () => (await channel('key')).assertQueue(`${q}.dlq`, { ...dead, deadLetterRoutingKey: 'b' })));
    log(await outcome(async () => (await channel('none')).assertQueue(`${q}.dlq`, { durable: false })));
  },
  'missing queues: check and purge fail with NOT_FOUND; delete succeeds': async ({ q, log, channel }) => {
    log(await outcome(async () => (await channel('a')).checkQueue(q)));
    log(await outcome(async () => (await channel('b')).purgeQueue(q)));
    log(await outcome(async () => (await channel('c')).deleteQueue(q)));
  },
  'deleting: refused when used or non-empty; its consumer is cancelled and may still ack': async ({ q, log, channel, confirmChannel, settle }) => {
    const admin = await confirmChannel('admin');
    await admin.assertQueue(q, { durable: false });
    const consumer = await channel('consumer');
    await consumer.prefetch(1);
    // What the consumer hears travels on its own channel, racing the other channels' replies: listed at the end.
    const got: (ConsumeMessage | null)[] = [];
    await consumer.consume(q, (m) => got.push(m));
    for (const body of ['x', 'y']) admin.sendToQueue(q, Buffer.from(body));
    await admin.waitForConfirms();
    await settle();
    log(await outcome(async () => (await channel('unused')).deleteQueue(q, { ifUnused: true })));
    log(await outcome(async () => (await channel('empty')).deleteQueue(q, { ifEmpty: true })));
    log(await outcome(() => admin.purgeQueue(q)));
    log(await outcome(() => admin.deleteQueue(q)));
    await settle();
    consumer.ack(got[0]!); // its queue is gone; RabbitMQ still accepts the ack
    log(await outcome(() => consumer.checkQueue(`${q}.gone`)));
    log(`the consumer got ${got.map((m) => (m === null ? 'cancelled' : String(m.content))).join(', ')}`);
  },
  'publishing: confirms for routed and unroutable messages; a missing exchange closes the channel': async ({ q, log, channel, confirmChannel }) => {
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    // RabbitMQ may confirm these two in either order (an unroutable message at once, a routed one via its queue).
    const confirms: string[] = [];
    const confirmed = (label: string) => (error: Error | null) => confirms.push(`${label} confirm: ${error === null ? 'ack' : error.message}`);
    ch.sendToQueue(q, Buffer.from('a'), {}, confirmed('routed'));
    ch.sendToQueue(`${q}.nowhere`, Buffer.from('b'), {}, confirmed('unroutable'));
    log(await outcome(() => ch.waitForConfirms()));
    confirms.sort().forEach(log);
    ch.publish(`${q}.exchange`, q, Buffer.from('c'), {}, (error: Error | null) => log(`to a missing exchange confirm: ${error?.message ?? 'ack'}`));
    log(await outcome(() => ch.waitForConfirms()));
    log(await outcome(() => ch.sendToQueue(q, Buffer.from('d'))));
    await (await channel('admin')).deleteQueue(q);
  },
  'acks: an unknown tag closes the channel, requeueing; later calls fail as amqplib fails them': async ({ q, log, channel, confirmChannel, settle }) => {
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('m1'));
    await ch.waitForConfirms();
    const got: ConsumeMessage[] = [];
    await ch.consume(q, (m) => m && got.push(m));
    await settle();
    log(`delivered ${got.map((m) => `${m.content} #${m.fields.deliveryTag} redelivered=${m.fields.redelivered}`)}`);
    ch.ack({ ...got[0], fields: { ...got[0].fields, deliveryTag: 7 } });
    log(await outcome(() => ch.checkQueue(q)));
    log(await outcome(() => ch.ack(got[0])));
    log(await outcome(() => ch.checkQueue(q)));
    const other = await channel('other');
    log(await outcome(() => other.checkQueue(q)));
    await other.deleteQueue(q);
  },
  'message properties and fields as a consumer receives them': async ({ q, log, channel, confirmChannel, settle }) => {
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('body'), { messageId: 'id-1', headers: { attempt: 2 }, persistent: true, contentType: 'text/plain', correlationId: 'c' });
    await ch.waitForConfirms();
    await ch.consume(q, (m) => {
      if (m === null) return;
      const { consumerTag, ...fields } = m.fields;
      log(`fields ${JSON.stringify({ ...fields, routingKey: fields.routingKey === q ? 'q' : fields.routingKey })} tag=${consumerTag.startsWith('amq.ctag-')}`);
      log(`properties ${JSON.stringify(m.properties)} content=${m.content}`);
    }, { noAck: true });
    await settle();
    await ch.deleteQueue(q);
  },
  'a reused consumer tag is a connection error': async ({ q, log, channel, connection }) => {
    connection.on('error', (error: Error & { code?: number }) => log(`connection error ${error.code}: ${error.message}`));
    connection.on('close', (error?: Error) => log(`connection close ${error?.message ?? ''}`));
    const ch = await channel('ch');
    await ch.assertQueue(q, { durable: false });
    await ch.consume(q, () => undefined, { consumerTag: 'mine' });
    log(await outcome(() => ch.consume(q, () => undefined, { consumerTag: 'mine' })));
    log(await outcome(() => connection.createChannel()));
  },
  'a consumer tag is free again once cancelled, even before the cancel is answered': async ({ q, log, confirmChannel, settle }) => {
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    await ch.consume(q, (m) => m && log(`first got ${m.content}`), { consumerTag: 'mine' });
    const cancelled = ch.cancel('mine');
    const again = ch.consume(q, (m) => m && log(`second got ${m.content}`), { consumerTag: 'mine' });
    log(await outcome(() => cancelled));
    log(await outcome(() => again));
    ch.sendToQueue(q, Buffer.from('m1'));
    await ch.waitForConfirms();
    await settle();
    await ch.deleteQueue(q);
  },
  'a consumer that throws closes its channel (541), and the broker requeues its message': async ({ q, log, channel, confirmChannel }) => {
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('m1'));
    await ch.waitForConfirms();
    const closed = new Promise((resolve) => ch.once('close', resolve));
    await ch.consume(q, () => {
      throw new Error('handler bug');
    });
    await closed;
    log(await outcome(async () => (await channel('other')).checkQueue(q)));
  },
  'closing a connection requeues its unacked messages for another; using it afterwards fails': async (run) => {
    const { q, log, connection, connect, confirmChannel, settle } = run;
    connection.on('close', (error?: Error) => log(`connection close ${error?.message ?? ''}`));
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('m1'));
    await ch.waitForConfirms();
    await ch.consume(q, (m) => m && log(`first got ${m.content} redelivered=${m.fields.redelivered}`));
    await settle();
    const other = await connect();
    const second = await other.createChannel();
    // The redelivery travels over the other socket, racing this one's close: awaited, then logged.
    const redelivered = new Promise<ConsumeMessage>((resolve) => second.consume(q, (m) => m && resolve(m)));
    log(await outcome(() => connection.close()));
    const m = await redelivered;
    log(`second got ${m.content} redelivered=${m.fields.redelivered}`);
    log(await outcome(() => connection.createChannel()));
    log(await outcome(() => ch.checkQueue(q)));
    log(await outcome(() => connection.close()));
    await other.close();
  },
  'closing a channel with work in flight: its pending reply and unconfirmed publish fail': async ({ q, log, confirmChannel }) => {
    const ch = await confirmChannel('ch');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('m1'), {}, (error: Error | null) => log(`confirm: ${error?.message ?? 'ack'}`));
    const pending = outcome(() => ch.checkQueue(q));
    const closing = outcome(() => ch.close());
    log(await outcome(() => ch.checkQueue(q)));
    log(await pending);
    log(await closing);
    log(await outcome(() => ch.waitForConfirms()));
  },
};

/** Runs `scenario` on a fresh connection from `connect` and returns its log; the last lines check the queue is gone. */
async function play(scenario: (run: Run) => Promise<void>, connect: () => Promise<ChannelModel>): Promise<string[]> {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const q = `interleave-test-${process.pid}-conformance-${++runs}`;
  const connection = await connect();
  const logged = <C extends Channel>(name: string, ch: C): C => {
    ch.on('error', (error: Error & { code?: number; classId?: number; methodId?: number }) => {
      log(`${name} error ${error.code} (${error.classId}/${error.methodId}): ${error.message}`);
    });
    ch.on('close', () => log(`${name} close`));
    return ch;
  };
  const channel = async (name: string) => logged(name, await connection.createChannel());
  const confirmChannel = async (name: string) => logged(name, await connection.createConfirmChannel());
  const settle = async () => {
    const probe = await connection.createChannel();
    await probe.close();
  };
  try {
    await scenario({ connection, connect, q, log, channel, confirmChannel, settle });
  } finally {
    const cleanup = await connect();
    const admin = await cleanup.createChannel();
    for (const name of [q, `${q}.dlq`]) await admin.deleteQueue(name);
    await cleanup.close();
    await connection.close().catch(() => undefined);
  }
  return lines.map((line) => line.replaceAll(q, 'Q'));
}

describe('the embedded broker, as amqplib on RabbitMQ sees it', () => {
  const broker = new EmbeddedBroker();
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const embedded = await play(scenario, () => broker.connect());
      expect(embedded).toMatchSnapshot();
      if (amqp.available) expect(await play(scenario, () => amqplib.connect(AMQP_URL, { noDelay: true }))).toEqual(embedded);
    });
  }
});
