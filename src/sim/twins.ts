/** Interchangeable processes, for symmetry reduction in exhaustive search (see `Simulation.fingerprint`). */
import type { MachineCache } from './machine-cache.ts';
import type { RunSetup } from './simulation.ts';

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
