/** Interchangeable processes, for symmetry reduction in exhaustive search (see `Simulation.fingerprint`). */
import type { Fingerprint } from './hash64.ts';
import type { MachineCache } from './machine-cache.ts';
import type { RunSetup } from './run-setup.ts';
import type { BrokerModel } from '../world/amqp/broker.ts';

/**
 * The processes of `run` in groups of interchangeable ones — same machine, same start state, same clock, both
 * restarted or neither — in process order; a process with no twin is a group of its own. Buyers carry tokens
 * of their own, so only pools of identical workers form groups.
 * @example twinGroups(setup) // [[0], [1, 2]]: the shop, then two identical workers
 */
export function twinGroups(run: RunSetup): number[][] {
  const known = twins.get(run);
  if (known) return known;
  const groups = new Map<string, number[]>();
  const caches = new Map<MachineCache, number>();
  run.processes.forEach((p, i) => {
    if (!caches.has(p.cache)) caches.set(p.cache, caches.size);
    const key = `${caches.get(p.cache)}|${p.start.key}|${p.restart}|${p.service}|${JSON.stringify(run.clocks.processes[i])}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const found = [...groups.values()];
  twins.set(run, found);
  return found;
}

const twins = new WeakMap<RunSetup, number[][]>();

/** A broker as symmetry reduction sees it: each process's own part (its channel, its consumers), and the rest. */
export interface BrokerTwinView {
  /** The fingerprint of the part of the process named `name`: its channel's next tag and unacked deliveries, its consumers. */
  tail(name: string): Fingerprint;
  /** The fingerprint of the rest: queues, counters, and channels and consumers of no process. */
  readonly others: Fingerprint;
}

/**
 * `broker` split for symmetry reduction between the processes of `run` and the rest, each part fingerprinted.
 * @example const view = brokerTwinView(broker, setup); view.tail('A')
 */
export function brokerTwinView(broker: BrokerModel, run: RunSetup): BrokerTwinView {
  let names = processNames.get(run);
  if (names === undefined) processNames.set(run, (names = new Set(run.processes.map((p) => p.name))));
  const { owned, others } = broker.hashShares(names);
  return { tail: (name) => owned.get(name)!, others };
}

const processNames = new WeakMap<RunSetup, ReadonlySet<string>>();
