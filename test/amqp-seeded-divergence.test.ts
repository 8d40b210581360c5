// The fidelity harness catches a wrong model rule and reports it as a minimal sequence. The seeded rule: a
// model that forgets a channel's unacked messages when the channel closes — the mistake that would hide the
// duplicate charge of a worker crashing before its ack, since the broker really redelivers.
import type { ChannelModel } from 'amqplib';
import amqplib from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../src/run/embedded/amqp.ts';
import { BrokerModel } from '../src/world/amqp/broker.ts';
import type { Settlement } from '../src/world/amqp/types.ts';
import { describeCommand } from './amqp-differential/commands.ts';
import { type Backend, checkFidelity, compare, formatDivergence } from './amqp-differential/differential.ts';
import { AMQP_URL, service } from './services.ts';

/** The broker model with one rule wrong: closing a channel acks its unacked messages instead of requeueing them. */
class ForgetfulBroker extends BrokerModel {
  override closeChannel(channel: string): readonly Settlement[] {
    if (this.isOpen(channel)) this.ack(channel, 0, { multiple: true });
    return super.closeChannel(channel);
  }
}

const amqp = await service('amqp', AMQP_URL);

function seededSuite(name: string, connect: () => Promise<ChannelModel>, timeoutMs: number) {
  let connection: ChannelModel;
  beforeAll(async () => {
    connection = await connect();
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('finds the divergence, reduces it to three steps, and reports both observations', async () => {
    const backend: Backend = { name, connection, timeoutMs };
    const forgetful = { model: () => new ForgetfulBroker() };
    const divergence = await checkFidelity(backend, { ...forgetful, numRuns: 200, seed: 7 });
    // The broker closes s1 for the unknown tag; the real rule requeues the unacked p1, the seeded one loses it.
    expect(divergence?.commands.map(describeCommand)).toEqual(['s1 consume', 'publish to q', 's1 reject unknown']);
    const report = formatDivergence(divergence!);
    expect(report).toContain(`model and ${name} diverge at step 3 of:\n  1. s1 consume\n  2. publish to q\n  3. s1 reject unknown\n`);
    expect(report).toContain('ready: {"q":0,"dlq":0} ≠ {"q":1,"dlq":0}');
    // 1-minimal: without any one of its steps, the sequence no longer diverges.
    for (const i of divergence!.commands.keys()) {
      expect(await compare(divergence!.commands.toSpliced(i, 1), backend, forgetful), `without step ${i + 1}`).toBeNull();
    }
    // And the correct model agrees with the backend on it.
    expect(await compare(divergence!.commands, backend)).toBeNull();
  });
}

describe('against the embedded broker', () => {
  seededSuite('embedded', () => new EmbeddedBroker().connect(), 50);
});

describe.skipIf(!amqp.available)('against a real RabbitMQ', () => {
  seededSuite('rabbitmq', () => amqplib.connect(AMQP_URL, { noDelay: true }), 300);
});
