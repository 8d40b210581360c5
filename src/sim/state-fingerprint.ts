/**
 * The pieces of a run's state fingerprint (`Simulation.fingerprint`, which combines them in the class itself: it
 * is computed for every state a search meets): how the broker and the shop's systems feed theirs, how twins are
 * fed under symmetry, and the fault budget left, which it hashes too.
 *
 * Under symmetry, interchangeable processes (twins.ts) are told apart by nothing but their state: each one's
 * share carries its own channel and consumers, and the shares of a group of twins are sorted, so two states that
 * differ only by which twin is which get one fingerprint.
 */
import { Hash64 } from './hash64.ts';
import type { Part } from './part.ts';
import type { Proc } from './proc.ts';
import type { RunSetup } from './run-setup.ts';
import { brokerTwinView, twinGroups } from './twins.ts';
import type { BrokerModel } from '../world/amqp/broker.ts';
import type { Effects } from '../world/effects/effects.ts';

/** How many faults of each kind may still land in a run (its fingerprint hashes them). */
export interface FaultsLeft {
  readonly pauses: number;
  readonly crashes: number;
  readonly losses: number;
  readonly closes: number;
  readonly jumps: number;
}

/**
 * Feeds the broker's fingerprint; it holds for good (as a part hasher says: see part.ts). Module-level, as
 * tsx wraps closures.
 * @example brokerPart.hashInto(hash, now, hashBroker)
 */
export function hashBroker(broker: BrokerModel, _now: number, into: Hash64): number {
  broker.hashInto(into);
  return Number.POSITIVE_INFINITY;
}

/**
 * Feeds the shop's systems' fingerprint; it holds for good unless the gateway's remembered keys age (instants are
 * whole ms).
 * @example shopPart.hashInto(hash, now, hashEffects)
 */
export function hashEffects(effects: Effects, now: number, into: Hash64): number {
  into.text(effects.fingerprint(now));
  return effects.gateway.remembersKeys ? now + 1 : Number.POSITIVE_INFINITY;
}

/** The hash each twin's own share is built in. */
const twinHash = new Hash64();
/** Scratch space to sort a group of twins' fingerprints in: high words, low words. */
const twinHighs: number[] = [];
const twinLows: number[] = [];

/**
 * Feeds the processes, group of twins by group, each group's shares sorted, and then the rest of the broker.
 * A process's share is its state and its part of the broker: its channel and its consumers.
 * @example if (symmetric) hashTwins(h, run, now, processes, broker, clocksVary)
 */
export function hashTwins(h: Hash64, run: RunSetup, now: number, processes: readonly Proc[], broker: Part<BrokerModel>, clocksVary: boolean): void {
  const view = broker.derived(brokerTwinView, run);
  for (const group of twinGroups(run)) {
    for (let i = 0; i < group.length; i++) {
      const p = processes[group[i]];
      twinHash.begin();
      p.hashInto(twinHash, now, clocksVary);
      twinHash.hash(view.tail(p.name));
      // Insertion sort by (high, low): groups are small.
      const high = twinHash.high;
      const low = twinHash.low;
      let at = i;
      for (; at > 0 && (twinHighs[at - 1] > high || (twinHighs[at - 1] === high && twinLows[at - 1] > low)); at--) {
        twinHighs[at] = twinHighs[at - 1];
        twinLows[at] = twinLows[at - 1];
      }
      twinHighs[at] = high;
      twinLows[at] = low;
    }
    h.word(group.length);
    for (let i = 0; i < group.length; i++) h.word(twinHighs[i]).word(twinLows[i]);
  }
  h.hash(view.others);
}
