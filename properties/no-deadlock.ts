/**
 * No deadlock: when a run is over — nothing can happen any more — every process that is not a service has
 * finished. A shopper's request still waiting then (for a delivery nobody will send, say) waits forever. A
 * service waiting for work (a consumer on an empty queue, a relay on an empty outbox) is idle, not stuck.
 * The checker adds this property to every variant, after the variant's own.
 */
import { eventually, type Property, type WorldView } from './property.ts';

const isStuck = (p: WorldView['processes'][number]) => p.status === 'running' && !p.service;
const stuck = (world: WorldView) => world.processes.filter(isStuck).map((p) => p.name);

/** Whether a process is stuck: a loop, since a search tests this at every state. */
function anyStuck(world: WorldView): boolean {
  for (const p of world.processes) if (isStuck(p)) return true;
  return false;
}

/**
 * The no-deadlock property.
 * @example noDeadlock() // [no-deadlock]
 */
export function noDeadlock(): Property[] {
  return [
    eventually('no-deadlock', 'when nothing more can happen, every process that is not a service has finished', (w) => !anyStuck(w),
      (w) => `nothing more can happen, and ${stuck(w).join(', ')} never finished`),
  ];
}
