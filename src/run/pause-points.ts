/**
 * Where a run's pauses can land in a variant, read off its machines' tags: inside a critical section (a state
 * tagged `critical`: a lock holder), and on a worker after it takes a delivery (a state tagged `awaiting`: a
 * consumer). A lock scenario has only the first, a queue scenario only the second, checkout both.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { AWAITING, CRITICAL } from '../../models/protocol.ts';

/** The kinds of point a variant's processes reach, where pauses are planned. */
export interface PausePoints {
  /** Some process has a critical section. */
  readonly critical: boolean;
  /** Some process awaits broker deliveries. */
  readonly delivery: boolean;
}

/**
 * The pause points of processes running `machines`.
 * @example pausePoints([paymentWorker('payments', 'ack-after', { keyed: true })]) // { critical: false, delivery: true }
 */
export function pausePoints(machines: readonly AnyStateMachine[]): PausePoints {
  const tags = new Set(machines.flatMap((machine) => tagsBelow(machine.root)));
  return { critical: tags.has(CRITICAL), delivery: tags.has(AWAITING) };
}

/** The tags of `node` and of every state nested in it. */
function tagsBelow(node: AnyStateNode): string[] {
  return [...node.tags, ...Object.values(node.states).flatMap(tagsBelow)];
}
