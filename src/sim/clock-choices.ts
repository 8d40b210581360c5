/**
 * Clocks the explorer chooses at the start of a run, one node at a time, from bounded sets: so exhaustive search
 * answers "does any offset or drift within these bounds break it?". Until every chosen node has its clock, the
 * choices of the next one are the only actions a run has.
 */
import type { Action } from './actions.ts';

/** The nodes whose clocks are chosen and the values each may take. */
export interface ClockChoices {
  /** The nodes whose clocks are chosen (processes first, then Redis servers), in the order they are chosen. */
  readonly nodes: readonly number[];
  /** The offsets a chosen clock may have, ms. */
  readonly offsets: readonly number[];
  /** The drifts a chosen clock may have, ppm. */
  readonly drifts: readonly number[];
}

/**
 * Whether a run with `choices` (if any) that has chosen `chosen` clocks so far has some still to choose.
 * @example choosingClocks({ nodes: [0, 1], offsets: [0], drifts: [0] }, 1) // true
 */
export function choosingClocks(choices: ClockChoices | undefined, chosen: number): boolean {
  return choices !== undefined && chosen < choices.nodes.length;
}

/**
 * The choices of clock for the next node whose clock is chosen, `chosen` clocks in (none once all are).
 * @example clockActions({ nodes: [2], offsets: [-500, 500], drifts: [0] }, 0) // o2:-500:0, o2:500:0
 */
export function clockActions(choices: ClockChoices | undefined, chosen: number): Action[] {
  if (!choosingClocks(choices, chosen)) return [];
  const { nodes, offsets, drifts } = choices!;
  const node = nodes[chosen];
  return offsets.flatMap((offset) => drifts.map((driftPpm): Action => ({ kind: 'clock', node, offset, driftPpm })));
}
