import { describe, expect, it } from 'vitest';
import { StateGraph, TIME_LANE_BIT } from './lasso.ts';

/** A graph of `states` states, all expanded with the given enabled lanes and unmet bits, and the given edges. */
function graph(marks: readonly [enabled: number, unmet: number][], edges: readonly [from: number, to: number, lane: number, choice: number][]): StateGraph {
  const g = new StateGraph();
  marks.forEach(([enabled, unmet], s) => g.markState(s, enabled, unmet));
  for (const [from, to, lane, choice] of edges) g.addEdge(from, to, lane, choice);
  return g;
}

describe('fair lassos', () => {
  it('finds a cycle on which the property stays unmet, entered at its earliest state', () => {
    // 0 → 1 → 2 → 1: process 0 loops between 1 and 2 for ever.
    const g = graph([[1, 1], [1, 1], [1, 1]], [[0, 1, 0, 0], [1, 2, 0, 0], [2, 1, 0, 1]]);
    expect(g.findLasso(1)).toEqual({ property: 0, entry: 1, loop: [0, 1] });
  });

  it('ignores a cycle that starves a process enabled all along it (weak fairness)', () => {
    // Process 1 can act in 1 and 2 but never does on the cycle: its step (to 3) would meet the property.
    const g = graph([[1, 1], [3, 1], [3, 1], [0, 0]], [[0, 1, 0, 0], [1, 2, 0, 0], [2, 1, 0, 0], [1, 3, 1, 1], [2, 3, 1, 1]]);
    expect(g.findLasso(1)).toBeNull();
  });

  it('a cycle that takes every process enabled throughout is fair, and its loop takes each of them', () => {
    // Processes 0 and 1 both loop: 1 ⇄ 2 by process 0, 2 → 1 also by process 1.
    const g = graph([[1, 1], [3, 1], [3, 1]], [[0, 1, 0, 0], [1, 2, 0, 0], [2, 1, 0, 0], [2, 1, 1, 1], [1, 1, 1, 1]]);
    const lasso = g.findLasso(1)!;
    expect(lasso.entry).toBe(1);
    expect(lasso.loop).toEqual([0, 1]); // 1 →(p0) 2 →(p1) 1
  });

  it('no lasso when the property is met somewhere on every cycle, or for a property not asked about', () => {
    const g = graph([[1, 1], [1, 0b10], [1, 1]], [[0, 1, 0, 0], [1, 2, 0, 0], [2, 1, 0, 0]]);
    expect(g.findLasso(1)).toBeNull();
    // Property 1 is unmet only in state 1, which is on no cycle of its own.
    expect(g.findLasso(2)).toBeNull();
  });

  it('time that can pass all along a cycle must pass on it', () => {
    const time = 1 << TIME_LANE_BIT;
    const g = graph([[1 | time, 1], [1 | time, 1]], [[0, 1, 0, 0], [1, 0, 0, 0]]);
    expect(g.findLasso(1)).toBeNull();
  });

  it('a self-loop is a cycle', () => {
    const g = graph([[1, 1]], [[0, 0, 0, 3]]);
    expect(g.findLasso(1)).toEqual({ property: 0, entry: 0, loop: [3] });
  });
});
