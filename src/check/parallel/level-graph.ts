/**
 * The liveness graph of a parallel breadth-first search (level-search.ts), built as the sequential search builds
 * it (lasso.ts): each expanded state marked with its enabled lanes and unmet `eventually` properties, and each
 * same-instant step an edge — states numbered in the order the sequential search stores them (level by level,
 * by rank), edges added in the order it takes them (by key). The workers report their parts
 * (`LevelReport.graph`), sorted by key each; this merges them.
 */
import { StateGraph } from '../lasso.ts';
import type { FingerprintSet } from '../fingerprint-set.ts';
import { KEY_SPAN, type LevelReport } from './level-expander.ts';

/** A state of the search by level and rank. */
export interface LevelState {
  /** Its level (distance from the root). */
  readonly level: number;
  /** Its rank in the level. */
  readonly rank: number;
}

/** The graph of a parallel search, level by level. */
export class LevelGraph {
  /** The graph, with states numbered as the sequential search numbers them. */
  readonly graph = new StateGraph();
  /** The number of the first state of each level. */
  readonly #starts: number[] = [0, 1];

  /**
   * Adds one expanded level from the workers' reports — `shares[w]` the ranks worker w held, `cutoffKey` where
   * the search stopped inside it (Infinity: it did not) — once `visited` (indexed) holds the next level's states;
   * `size` is the next level's.
   */
  addLevel(reports: readonly LevelReport[], shares: readonly (readonly number[])[], cutoffKey: number, visited: FingerprintSet, size: number): void {
    const level = this.#starts.length - 2;
    const start = this.#starts[level];
    this.#starts.push(this.#starts[level + 1] + size);
    const lastExpanded = cutoffKey === Infinity ? Infinity : Math.floor(cutoffKey / KEY_SPAN);
    reports.forEach((report, w) => {
      const marks = report.graph!.marks;
      for (let i = 0; 2 * i < marks.length; i++) {
        if (shares[w][i] <= lastExpanded) this.graph.markState(start + shares[w][i], marks[2 * i], marks[2 * i + 1]);
      }
    });
    // The workers' edges, each list in key order, merged into one: the order the sequential search takes them.
    const next = reports.map(() => 0);
    for (;;) {
      let w = -1;
      for (let v = 0; v < reports.length; v++) {
        const keys = reports[v].graph!.edgeKeys;
        if (next[v] < keys.length && (w < 0 || keys[next[v]] < reports[w].graph!.edgeKeys[next[w]])) w = v;
      }
      if (w < 0) return;
      const { edgeKeys, edgeTargets, edgeLanes } = reports[w].graph!;
      const e = next[w]++;
      if (edgeKeys[e] > cutoffKey) continue;
      const to = visited.indexOfFingerprint(edgeTargets[2 * e], edgeTargets[2 * e + 1]);
      if (to < 0) throw new Error('an edge of the liveness graph leads to a state the search did not store');
      this.graph.addEdge(start + Math.floor(edgeKeys[e] / KEY_SPAN), to, edgeLanes[e], (edgeKeys[e] % KEY_SPAN) - 1);
    }
  }

  /** The level and rank of the state numbered `index`. */
  stateOf(index: number): LevelState {
    let level = 0;
    while (this.#starts[level + 1] <= index) level++;
    return { level, rank: index - this.#starts[level] };
  }
}
