// What the runner's clients put on the wire, and when: a named script goes by its SHA1 (EVALSHA), its Lua text
// only once a server lacks it; a consumer's ack is written to the socket before the process goes on to step its
// machine (amqplib writes on the next turn of the event loop).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpServer } from '../src/run/amqp-server.ts';
import { BrokerSession } from '../src/run/broker-session.ts';
import { Namespace } from '../src/run/namespace.ts';
import { RedisConnection } from '../src/run/redis-client.ts';
import { AMQP_URL, program, service } from './services.ts';
import { ThrowawayRedis } from './throwaway-redis.ts';

const redisServer = program('redis-server');
const amqp = await service('amqp', AMQP_URL);

/** `calls` of each command in the server's INFO commandstats. */
async function commandCalls(client: Redis): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map(([, name, calls]) => [name, Number(calls)]));
}

describe.skipIf(!redisServer.available)('named scripts on a Redis server of the test own', () => {
  let server: ThrowawayRedis;
  let stats: Redis;
  beforeAll(async () => {
    server = await ThrowawayRedis.start(1);
    stats = new Redis(server.urls[0]);
  }, 30_000);
  afterAll(async () => {
    stats?.disconnect();
    await server?.stop();
  });

  it('go by EVALSHA, with the Lua text sent once, when the server did not have it yet', async () => {
    const redis = await RedisConnection.open('real', server.urls[0]);
    try {
      await redis.exec(['SET', 'lock', 'A-1']);
      expect(await redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'B-1'])).toBe(0);
      expect(await redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'A-1'])).toBe(1);
      expect(await redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'A-1'])).toBe(0);
      const calls = await commandCalls(stats);
      expect(calls.eval).toBe(1);
      expect(calls.evalsha).toBe(3);
      // A script's own error still comes back as the model's error reply.
      expect(await redis.exec(['EVAL', 'compare-and-delete', 5, 'lock', 'A-1'])).toEqual({ error: expect.stringMatching(/^ERR Number of keys/) });
    } finally {
      await redis.close();
    }
  });

  // The history's order is the order in which processes hear their replies, and the judge takes it for the
  // server's: replies that come in one read must reach their callers in the order they came, a script's too.
  it('answer replies that arrive together in the order they came, a script\'s as any other\'s', async () => {
    const redis = await RedisConnection.open('real', server.urls[0]);
    try {
      await redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'A-1']);
      for (let i = 0; i < 20; i++) {
        const heard: string[] = [];
        await Promise.all([
          redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'A-1']).then(() => heard.push('script')),
          redis.exec(['SET', 'lock', 'B-1', 'NX']).then(() => heard.push('set')),
          redis.exec(['DEL', 'lock']).then(() => heard.push('del')),
        ]);
        expect(heard).toEqual(['script', 'set', 'del']);
      }
    } finally {
      await redis.close();
    }
  });
});

describe.skipIf(!amqp.available)('a consumer on real RabbitMQ', () => {
  it('has its ack on the socket by the time the ack command is answered', async () => {
    const server = await AmqpServer.open('real', AMQP_URL);
    const ns = new Namespace(`interleave-test-${process.pid}-wire-`);
    const delivered: number[] = [];
    const session = new BrokerSession(server, ns, () => 'A/1', { delivery: (d) => delivered.push(d.deliveryTag), channelClosed: () => undefined });
    try {
      await server.admin.assertQueue(ns.queue('orders'), { durable: false });
      server.admin.sendToQueue(ns.queue('orders'), Buffer.from('order-1'), { messageId: '1' });
      await server.admin.waitForConfirms();
      await session.exec(['AMQP.CONSUME', 'orders', 1, 0]);
      session.startDelivering();
      while (delivered.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // The process's one connection: amqplib keeps its socket as `connection.stream`.
      const socket = ((await (session as unknown as { connection: Promise<{ connection: { stream: { bytesWritten: number } } }> }).connection)).connection.stream;
      const before = socket.bytesWritten;
      expect(await session.exec(['AMQP.ACK', delivered[0]])).toEqual({ reply: 'OK', channel: 'A/1' });
      expect(socket.bytesWritten).toBeGreaterThan(before);
    } finally {
      await session.close();
      await server.admin.deleteQueue(ns.queue('orders'));
      await server.close();
    }
  });
});
