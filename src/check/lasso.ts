/**
 * Liveness on the graph exhaustive search explores. An `eventually` property is judged where a run ends; a run
 * that never ends is a lasso — a path to a cycle it goes round forever — and breaks the property if the property
 * is unmet in every state of the cycle. Only fair cycles count (weak fairness): a lane (a process, or time)
 * that can act in every state of the cycle must act somewhere in it, else the cycle is just a schedule that
 * starves it. A strongly connected set of unmet states holds a fair cycle exactly when every lane enabled
 * throughout it acts on one of its edges (a walk through all its edges is then fair), so the search is over
 * strongly connected components (Tarjan's algorithm, iteratively).
 */

/** Lane bit of time passing (a wait or a tick); processes take bits 0 … 30. */
export const TIME_LANE_BIT = 31;

/** Most processes whose fairness can be tracked. */
export const MAX_FAIR_LANES = 31;

/** A fair cycle on which an `eventually` property stays unmet. */
export interface Lasso {
  /** Which property (its index among those the graph was marked with). */
  readonly property: number;
  /** The state where the cycle starts and ends (reached by the search's shortest path). */
  readonly entry: number;
  /** The cycle as the positions, among each state's choices, of the actions taken, from `entry` back to it. */
  readonly loop: readonly number[];
}

/** A growable Int32 column. */
class Column {
  values = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  /** Sets slot `i`, growing (with zeros) to reach it. */
  set(i: number, value: number): void {
    while (this.length <= i) this.push(0);
    this.values[i] = value;
  }
}

/** The edges and per-state marks a liveness check needs, kept in typed columns (a few bytes an edge). */
export class StateGraph {
  readonly #from = new Column();
  readonly #to = new Column();
  /** Lane bit of the edge's action. */
  readonly #lane = new Column();
  /** Position of the edge's action among its source state's choices. */
  readonly #choice = new Column();
  /** Per state: lanes that can act there (bit per lane), or 0 for a state never expanded. */
  readonly #enabled = new Column();
  /** Per state: bit p set when `eventually` property p is unmet there. */
  readonly #unmet = new Column();
  /** Per state: 1 once expanded. */
  readonly #expanded = new Column();

  /** Edges recorded. */
  get edges(): number {
    return this.#from.length;
  }

  /** Bytes the graph takes. */
  get bytes(): number {
    return [this.#from, this.#to, this.#lane, this.#choice, this.#enabled, this.#unmet, this.#expanded].reduce((n, c) => n + c.values.byteLength, 0);
  }

  /**
   * Records an expanded state: the lanes that can act in it (bits) and the properties unmet in it (bits).
   * @example graph.markState(0, 0b11, 0b1) // processes 0 and 1 can act; property 0 is unmet
   */
  markState(state: number, enabledLanes: number, unmet: number): void {
    this.#enabled.set(state, enabledLanes);
    this.#unmet.set(state, unmet);
    this.#expanded.set(state, 1);
  }

  /** Records the edge taken by the `choice`-th action of `from` (of lane bit `laneBit`), leading to `to`. */
  addEdge(from: number, to: number, laneBit: number, choice: number): void {
    this.#from.push(from);
    this.#to.push(to);
    this.#lane.push(laneBit);
    this.#choice.push(choice);
  }

  /** A fair lasso for the first of `properties` properties that has one, with the earliest entry state; else `null`. */
  findLasso(properties: number): Lasso | null {
    for (let p = 0; p < properties; p++) {
      const lasso = this.#lassoOf(p);
      if (lasso) return lasso;
    }
    return null;
  }

  /** Whether state `s` was expanded and leaves property `p` unmet. */
  #unmetAt(s: number, p: number): boolean {
    return s < this.#expanded.length && this.#expanded.values[s] === 1 && (this.#unmet.values[s] & (1 << p)) !== 0;
  }

  #lassoOf(p: number): Lasso | null {
    const n = this.#expanded.length;
    // Adjacency (compressed rows) of the edges between unmet states.
    const start = new Int32Array(n + 1);
    const kept: number[] = [];
    for (let e = 0; e < this.edges; e++) {
      const from = this.#from.values[e];
      if (this.#unmetAt(from, p) && this.#unmetAt(this.#to.values[e], p)) {
        kept.push(e);
        start[from + 1]++;
      }
    }
    if (kept.length === 0) return null;
    for (let s = 0; s < n; s++) start[s + 1] += start[s];
    const out = new Int32Array(kept.length);
    const fill = start.slice(0, n);
    for (const e of kept) out[fill[this.#from.values[e]]++] = e;
    const to = this.#to.values;
    const component = stronglyConnected(n, start, out, (e) => to[e], (s) => this.#unmetAt(s, p));
    const { first, members } = byComponent(component);
    let best: { entry: number; id: number } | null = null;
    for (let id = 0; id + 1 < first.length; id++) {
      let mustAct = -1;
      let acted = 0;
      let hasEdge = false;
      for (let k = first[id]; k < first[id + 1]; k++) {
        const s = members[k];
        mustAct &= this.#enabled.values[s];
        for (let i = start[s]; i < start[s + 1]; i++) {
          if (component[to[out[i]]] === id) {
            hasEdge = true;
            acted |= 1 << this.#lane.values[out[i]];
          }
        }
      }
      const entry = members[first[id]];
      if (hasEdge && (mustAct & ~acted) === 0 && (best === null || entry < best.entry)) best = { entry, id };
    }
    if (best === null) return null;
    return { property: p, entry: best.entry, loop: this.#fairLoop(best.entry, component, best.id, start, out) };
  }

  /** A closed walk from `entry` within its component that takes an edge of every lane enabled throughout it. */
  #fairLoop(entry: number, component: Int32Array, id: number, start: Int32Array, out: Int32Array): number[] {
    const inside = (e: number) => component[this.#to.values[e]] === id;
    let mustAct = -1;
    for (let s = 0; s < component.length; s++) if (component[s] === id) mustAct &= this.#enabled.values[s];
    const loop: number[] = [];
    let at = entry;
    // Shortest path within the component from `at` to an edge satisfying `wanted`, taken; appended to the loop.
    const walk = (wanted: (e: number) => boolean) => {
      const via = new Map<number, number>([[at, -1]]);
      const queue = [at];
      for (let q = 0; q < queue.length; q++) {
        const s = queue[q];
        for (let i = start[s]; i < start[s + 1]; i++) {
          const e = out[i];
          if (!inside(e)) continue;
          if (wanted(e)) {
            const path = [e];
            for (let t = s; via.get(t)! !== -1; t = this.#from.values[via.get(t)!]) path.push(via.get(t)!);
            for (const step of path.reverse()) loop.push(this.#choice.values[step]);
            at = this.#to.values[e];
            return;
          }
          if (!via.has(this.#to.values[e])) {
            via.set(this.#to.values[e], e);
            queue.push(this.#to.values[e]);
          }
        }
      }
      throw new Error('lasso: no walk within a strongly connected component');
    };
    for (let bit = 0; bit <= TIME_LANE_BIT; bit++) {
      if ((mustAct & (1 << bit)) !== 0) walk((e) => this.#lane.values[e] === bit);
    }
    // Back to the entry (at least one edge, so the loop is never empty).
    if (loop.length === 0 || at !== entry) walk((e) => this.#to.values[e] === entry);
    return loop;
  }
}

/**
 * States by component id (ids 0 … count − 1; −1 for none), each component's ascending: those of component `id`
 * are `members[first[id]]` … `members[first[id + 1] − 1]`. A counting sort: no list per component.
 */
function byComponent(component: Int32Array): { first: Int32Array; members: Int32Array } {
  let count = 0;
  for (const id of component) count = Math.max(count, id + 1);
  const first = new Int32Array(count + 1);
  for (const id of component) if (id >= 0) first[id + 1]++;
  for (let id = 0; id < count; id++) first[id + 1] += first[id];
  const members = new Int32Array(first[count]);
  const fill = first.slice(0, count);
  for (let s = 0; s < component.length; s++) if (component[s] >= 0) members[fill[component[s]]++] = s;
  return { first, members };
}

/**
 * Tarjan's strongly connected components over the states for which `member` holds, iteratively (the graph can
 * be deep): the component id of each state, or -1 for a non-member.
 */
function stronglyConnected(n: number, start: Int32Array, out: Int32Array, target: (edge: number) => number, member: (s: number) => boolean): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let stacked = 0;
  // The depth-first path, as frames: a state, and the position of its next edge to look at (no state is on it twice).
  const frameState = new Int32Array(n);
  const frameEdge = new Int32Array(n);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (!member(root) || index[root] !== -1) continue;
    let frames = 1;
    frameState[0] = root;
    frameEdge[0] = start[root];
    index[root] = low[root] = counter++;
    stack[stacked++] = root;
    onStack[root] = 1;
    while (frames > 0) {
      const s = frameState[frames - 1];
      const i = frameEdge[frames - 1];
      if (i < start[s + 1]) {
        frameEdge[frames - 1]++;
        const t = target(out[i]);
        if (index[t] === -1) {
          index[t] = low[t] = counter++;
          stack[stacked++] = t;
          onStack[t] = 1;
          frameState[frames] = t;
          frameEdge[frames] = start[t];
          frames++;
        } else if (onStack[t]) {
          low[s] = Math.min(low[s], index[t]);
        }
        continue;
      }
      frames--;
      if (frames > 0) {
        const parent = frameState[frames - 1];
        low[parent] = Math.min(low[parent], low[s]);
      }
      if (low[s] === index[s]) {
        let t: number;
        do {
          t = stack[--stacked];
          onStack[t] = 0;
          component[t] = components;
        } while (t !== s);
        components++;
      }
    }
  }
  return component;
}
