// Conservation: whatever the operations and their order, every published message is in exactly one place —
// ready in a queue, unacked on a channel — or settled in one of the documented ways (acked, auto-acked on
// delivery, dropped by a reject without a dead-letter queue). Nothing is lost or duplicated otherwise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrokerModel } from './broker.ts';
import type { Settlement } from './types.ts';
import { Hash64, type Fingerprint } from '../../sim/hash64.ts';

const CHANNELS = ['ch1', 'ch2', 'ch3'];
const QUEUES = ['q', 'dlq'];

type Op =
  | { readonly op: 'publish' }
  | { readonly op: 'consume'; readonly channel: string; readonly queue: string; readonly prefetch: number; readonly autoAck: boolean }
  | { readonly op: 'deliver'; readonly pick: number }
  | { readonly op: 'ack' | 'nack' | 'reject'; readonly channel: string; readonly tag: number; readonly multiple: boolean; readonly requeue: boolean }
  | { readonly op: 'close'; readonly channel: string }
  | { readonly op: 'cancel'; readonly pick: number };

const channel = fc.constantFrom(...CHANNELS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ op: 'publish' as const }), weight: 3 },
  fc.record({ op: fc.constant('consume' as const), channel, queue: fc.constantFrom(...QUEUES), prefetch: fc.integer({ min: 0, max: 2 }), autoAck: fc.boolean() }),
  { arbitrary: fc.record({ op: fc.constant('deliver' as const), pick: fc.nat(5) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constantFrom('ack' as const, 'nack' as const, 'reject' as const), channel, tag: fc.integer({ min: 0, max: 6 }), multiple: fc.boolean(), requeue: fc.boolean() }), weight: 3 },
  fc.record({ op: fc.constant('close' as const), channel }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat(5) }),
);

/** Where the test, reading only what the broker answered, believes a message is. */
type Place = { readonly at: 'ready'; readonly queue: string; readonly requeued: boolean } | { readonly at: 'unacked'; readonly channel: string } | { readonly at: 'acked' | 'auto-acked' | 'dropped' };

/** What the runs reached, so that a property that holds vacuously (nothing ever dead-lettered) fails. */
const reached = new Set<string>();

/** Applies one operation, updating `places` from the broker's answers alone. */
function apply(broker: BrokerModel, op: Op, places: Map<string, Place>): void {
  const settle = (settled: readonly Settlement[], error?: string) => {
    if (error !== undefined) reached.add('channel error');
    for (const { messageId, outcome, to, queue } of settled) {
      reached.add(outcome);
      places.set(messageId, outcome === 'acked' || outcome === 'dropped' ? { at: outcome }
        : outcome === 'requeued' ? { at: 'ready', queue, requeued: true } : { at: 'ready', queue: to!, requeued: false });
    }
  };
  switch (op.op) {
    case 'publish': {
      const { messageId, routed } = broker.publish('q', 'x');
      expect(routed).toBe(true);
      places.set(messageId, { at: 'ready', queue: 'q', requeued: false });
      break;
    }
    case 'consume': {
      const result = broker.consume(op.channel, op.queue, op);
      expect(result.ok).toBe(true);
      break;
    }
    case 'deliver': {
      const candidates = broker.deliverable();
      if (candidates.length === 0) break;
      const { consumerTag } = candidates[op.pick % candidates.length];
      const autoAck = broker.snapshot().consumers.find((c) => c.consumerTag === consumerTag)!.autoAck;
      const d = broker.deliver(consumerTag);
      const before = places.get(d.messageId);
      expect(before).toMatchObject({ at: 'ready', queue: d.queue });
      expect(d.redelivered).toBe(before?.at === 'ready' && before.requeued);
      if (d.redelivered) reached.add('redelivered');
      if (autoAck) reached.add('auto-acked');
      places.set(d.messageId, autoAck ? { at: 'auto-acked' } : { at: 'unacked', channel: d.channel });
      break;
    }
    case 'ack': { const r = broker.ack(op.channel, op.tag, op); settle(r.settled, r.ok ? undefined : r.error); break; }
    case 'nack': { const r = broker.nack(op.channel, op.tag, op); settle(r.settled, r.ok ? undefined : r.error); break; }
    case 'reject': { const r = broker.reject(op.channel, op.tag, op); settle(r.settled, r.ok ? undefined : r.error); break; }
    case 'close': settle(broker.closeChannel(op.channel)); break;
    case 'cancel': {
      const consumers = broker.snapshot().consumers;
      if (consumers.length > 0) broker.cancel(consumers[op.pick % consumers.length].consumerTag);
      break;
    }
  }
}

/** Checks that the broker's state holds each live message exactly once, where the test believes it is. */
function checkConservation(broker: BrokerModel, places: ReadonlyMap<string, Place>): void {
  const seen = new Map<string, string[]>();
  const see = (id: string, where: string) => seen.set(id, [...(seen.get(id) ?? []), where]);
  const { queues, channels } = broker.snapshot();
  for (const q of queues) for (const r of q.ready) see(r.messageId, `ready:${q.name}:${r.redelivered}`);
  for (const c of channels) for (const u of c.unacked) see(u.messageId, `unacked:${c.name}`);
  for (const [id, place] of places) {
    const expected = place.at === 'ready' ? [`ready:${place.queue}:${place.requeued}`] : place.at === 'unacked' ? [`unacked:${place.channel}`] : [];
    expect(seen.get(id) ?? [], id).toEqual(expected);
  }
  expect([...seen.keys()].every((id) => places.has(id))).toBe(true);
}

/** Canonical texts seen, each with the hash first seen for it, and the reverse: hashing must be one-to-one (per kind of piece). */
const hashOf = new Map<string, string>();
const textOf = new Map<string, string>();

/** Checks that `text` and `fingerprint` always go together, as a hash of the snapshot must. */
function checkOneToOne(kind: string, text: string, { high, low }: Fingerprint): void {
  const hash = `${kind}:${high}:${low}`;
  expect(hashOf.get(text) ?? hash).toBe(hash);
  expect(textOf.get(hash) ?? text).toBe(text);
  hashOf.set(text, hash);
  textOf.set(hash, text);
}

/** Checks the broker's hash and its shares (ch1 and ch2 owned, ch3 not) against its snapshot's pieces. */
function checkHashes(broker: BrokerModel): void {
  checkOneToOne('whole', broker.fingerprint(), broker.hashInto(new Hash64().begin()).fingerprint());
  const owners = new Set(['ch1', 'ch2']);
  const { owned, others } = broker.hashShares(owners);
  const { channels, consumers, ...rest } = broker.snapshot();
  for (const name of owners) {
    const channel = channels.find((c) => c.name === name);
    const subscriptions = consumers.filter((c) => c.channel === name).map(({ channel: _, ...own }) => own);
    checkOneToOne('owned', JSON.stringify([channel ? [channel.nextDeliveryTag, channel.unacked] : null, subscriptions]), owned.get(name)!);
  }
  checkOneToOne('others', JSON.stringify([rest, channels.filter((c) => !owners.has(c.name)), consumers.filter((c) => !owners.has(c.channel))]), others);
}

describe('broker hashes', () => {
  it('tell states apart exactly as their snapshots do, whole and shared by channel', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40, size: 'max' }), (ops) => {
        const broker = new BrokerModel();
        broker.declareQueue('dlq');
        broker.declareQueue('q', { deadLetterQueue: 'dlq' });
        const places = new Map<string, Place>();
        checkHashes(broker);
        for (const op of ops) {
          apply(broker, op, places);
          checkHashes(broker);
        }
      }),
      { seed: 20_261_127, numRuns: 200 },
    );
    expect(hashOf.size).toBeGreaterThan(1000);
  });
});

describe('broker conservation', () => {
  it('never loses or duplicates a message outside the documented cases, and clones behave identically', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60, size: 'max' }), fc.nat(60), (ops, cut) => {
        const broker = new BrokerModel();
        broker.declareQueue('dlq');
        broker.declareQueue('q', { deadLetterQueue: 'dlq' });
        const places = new Map<string, Place>();
        let branch: { broker: BrokerModel; places: Map<string, Place> } | null = null;
        for (const [i, op] of ops.entries()) {
          if (i === cut) branch = { broker: broker.clone(), places: new Map(places) };
          apply(broker, op, places);
          checkConservation(broker, places);
        }
        // Replaying the tail on a clone taken mid-run reaches the same state.
        if (branch !== null) {
          for (const op of ops.slice(cut)) apply(branch.broker, op, branch.places);
          expect(branch.broker.fingerprint()).toBe(broker.fingerprint());
        }
      }),
      { seed: 20_261_126, numRuns: 300 },
    );
    expect([...reached].sort()).toEqual(['acked', 'auto-acked', 'channel error', 'dead-lettered', 'dropped', 'redelivered', 'requeued']);
  });
});
