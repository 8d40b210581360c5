/**
 * The broker's side of a process in a run: which consumers the broker could deliver to now, a delivery (or the
 * news that its channel closed) reaching a process, its channel dropped, and what the record shows of the
 * messages the broker settles on its own.
 */
import { readClock } from './clock.ts';
import type { RunEvent } from './events.ts';
import type { Part } from './part.ts';
import type { Proc } from './proc.ts';
import type { BrokerModel } from '../world/amqp/broker.ts';
import type { Settlement } from '../world/amqp/types.ts';

/**
 * The consumers the broker could deliver to now.
 * @example if (canReceive(p, now, deliverableTags(broker))) actions.push(deliveryTo(proc))
 */
export function deliverableTags(broker: BrokerModel): ReadonlySet<string> {
  return new Set(broker.deliverable().map((d) => d.consumerTag));
}

/**
 * `p` awaits, is not paused at `now`, and its consumer has a message it may take (or its channel's closing to
 * hear of).
 * @example canReceive(p, now, deliverableTags(broker))
 */
export function canReceive(p: Proc, now: number, deliverable: ReadonlySet<string>): boolean {
  const tag = p.consumerTag;
  return p.live && p.local.awaiting && p.wakesAt() <= now && (p.channelClosed || (tag !== null && deliverable.has(tag)));
}

/**
 * The broker's next message reaches `p` (process `proc`), which must `canReceive` — or the news that its channel
 * closed does. Returns the version of `broker` the run holds now.
 * @example this.broker = deliver(this.procToWrite(proc), proc, this.broker, this.now, this.events)
 */
export function deliver(p: Proc, proc: number, broker: Part<BrokerModel>, now: number, events: RunEvent[] | null): Part<BrokerModel> {
  if (p.channelClosed) {
    p.channelClosed = false;
    p.local = p.cache.channelClosed(p.local);
    events?.push({ kind: 'closed', t: now, proc, clock: readClock(p.clock, now) });
    return broker;
  }
  const written = broker.forWrite();
  const delivery = written.value.deliver(p.consumerTag!);
  p.local = p.cache.deliver(p.local, delivery);
  if (p.local.done) p.live = false;
  if (!events) return written;
  events.push({ kind: 'deliver', t: now, proc, clock: readClock(p.clock, now), delivery });
  // For the record: an auto-ack delivery is settled the moment it is sent.
  if (written.value.consumer(delivery.consumerTag)?.autoAck) {
    const { messageId, queue, deliveryTag } = delivery;
    events.push({ kind: 'settle', t: now, clock: now, settlement: { messageId, queue, deliveryTag, outcome: 'acked' } });
  }
  return written;
}

/**
 * The broker closes `p`'s channel, putting back what it had not acked. Returns the version of `broker` the run
 * holds now.
 * @example this.broker = dropChannel(p, this.broker, this.now, this.events)
 */
export function dropChannel(p: Proc, broker: Part<BrokerModel>, now: number, events: RunEvent[] | null): Part<BrokerModel> {
  const written = broker.forWrite();
  recordSettled(events, now, written.value.closeChannel(p.name));
  return written;
}

/**
 * For the record: messages the broker put back, dead-lettered or dropped (acks show as the command).
 * @example recordSettled(this.events, this.now, outcome.settled)
 */
export function recordSettled(events: RunEvent[] | null, now: number, settled: readonly Settlement[]): void {
  for (const s of settled) {
    if (s.outcome !== 'acked') events?.push({ kind: 'settle', t: now, clock: now, settlement: s });
  }
}
