// RabbitMQ fidelity: random sequences of publish / consume / ack / nack / reject / cancel / close-channel /
// prefetch run on the pure broker model and on (b) the embedded broker and (c) a real RabbitMQ, through the same
// amqplib-shaped driver; every step's observation must agree (test/amqp-differential/ says what is compared).
import type { ChannelModel } from 'amqplib';
import amqplib from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../src/run/embedded/amqp.ts';
import { BEHAVIOURS } from './amqp-differential/coverage.ts';
import { checkFidelity, formatDivergence } from './amqp-differential/differential.ts';
import { AMQP_URL, service } from './services.ts';

/** Sequences per backend, each up to 30 commands. */
const SEQUENCES = 1000;
const amqp = await service('amqp', AMQP_URL);

/**
 * Runs the fidelity check against the backend `connect` opens, closing it afterwards. `timeoutMs` bounds how
 * long a step may take to settle: only a divergence waits that long.
 */
function fidelitySuite(name: string, connect: () => Promise<ChannelModel>, timeoutMs: number) {
  let connection: ChannelModel;
  beforeAll(async () => {
    connection = await connect();
  });
  afterAll(async () => {
    await connection?.close();
  });

  it(`${SEQUENCES} random sequences agree with the model`, async () => {
    const seen = new Set<string>();
    const started = Date.now();
    const divergence = await checkFidelity({ name, connection, timeoutMs }, { numRuns: SEQUENCES, seed: 20_261_127, seen });
    if (divergence !== null) throw new Error(formatDivergence(divergence));
    console.info(`amqp fidelity, ${name}: ${SEQUENCES} sequences, 0 divergences, ${Date.now() - started} ms`);
    // The sequences did reach what is worth comparing.
    expect([...seen].sort()).toEqual([...BEHAVIOURS]);
  });
}

describe('the embedded broker', () => {
  fidelitySuite('embedded', () => new EmbeddedBroker().connect(), 50);
});

describe.skipIf(!amqp.available)('a real RabbitMQ', () => {
  // No Nagle delay: a lone small frame (an ack nobody answers) would otherwise hold the next one back ~40 ms.
  fidelitySuite('rabbitmq', () => amqplib.connect(AMQP_URL, { noDelay: true }), 1000);
});
