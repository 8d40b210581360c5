// Pinned against RabbitMQ 3.10: the deliveries below are what a real server did for the same operations
// (three consumers, prefetch 1, 1 and unlimited), recorded before the model was written.
import { describe, expect, it } from 'vitest';
import { BrokerModel } from './broker.ts';
import { RoundRobin } from './round-robin.ts';

/** A broker with queue `q`, its round-robin, and a log of `channel <- payload` per dispatch. */
function setup() {
  const broker = new BrokerModel();
  broker.declareQueue('q');
  const rr = new RoundRobin(broker);
  const step = (op: () => unknown) => {
    op();
    return rr.dispatch().map((d) => `${d.channel} <- ${d.payload}${d.redelivered ? ' (redelivered)' : ''}`);
  };
  return { broker, step };
}

describe('RoundRobin', () => {
  it('rotates, skips and parks full consumers, and brings them back at the end of the line when acked', () => {
    const { broker, step } = setup();
    for (const [channel, prefetch] of [['C0', 1], ['C1', 1], ['C2', 0]] as const) step(() => broker.consume(channel, 'q', { prefetch }));
    const publish = (p: string) => step(() => broker.publish('q', p));
    expect(['p0', 'p1', 'p2', 'p3', 'p4'].flatMap(publish)).toEqual(['C0 <- p0', 'C1 <- p1', 'C2 <- p2', 'C2 <- p3', 'C2 <- p4']);
    expect(step(() => broker.ack('C0', 1))).toEqual([]);
    // C0 rejoined behind C2, so C2 takes the next message, then C0.
    expect(['p7', 'p8'].flatMap(publish)).toEqual(['C2 <- p7', 'C0 <- p8']);
    expect(step(() => broker.ack('C1', 1))).toEqual([]);
    expect(publish('p9')).toEqual(['C2 <- p9']);
    // C0 is full but still in line: its turn parks it; C1 (back in line) takes one, C2 the rest.
    expect(step(() => broker.nack('C2', 0, { multiple: true, requeue: true }))).toEqual([
      'C1 <- p2 (redelivered)', 'C2 <- p3 (redelivered)', 'C2 <- p4 (redelivered)', 'C2 <- p7 (redelivered)', 'C2 <- p9 (redelivered)',
    ]);
    expect(step(() => broker.ack('C0', 99))).toEqual(['C2 <- p8 (redelivered)']); // the channel error requeued p8
  });

  it('lines up a new consumer at the back and forgets cancelled ones', () => {
    const { broker, step } = setup();
    step(() => broker.consume('A', 'q'));
    step(() => broker.consume('B', 'q'));
    expect(step(() => broker.publish('q', 'x'))).toEqual(['A <- x']); // line: B, A
    step(() => broker.consume('C', 'q')); // B, A, C
    step(() => broker.cancel('ctag-2')); // A, C
    expect(['y', 'z', 'w'].flatMap((p) => step(() => broker.publish('q', p)))).toEqual(['A <- y', 'C <- z', 'A <- w']);
  });

  it('gives nothing to a full consumer until it has room, then delivers on the ack itself', () => {
    const { broker, step } = setup();
    step(() => broker.consume('A', 'q', { prefetch: 1 }));
    expect(['x', 'y'].flatMap((p) => step(() => broker.publish('q', p)))).toEqual(['A <- x']);
    expect(step(() => broker.ack('A', 1))).toEqual(['A <- y']);
  });
});
