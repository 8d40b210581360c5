/**
 * A worker's side of a parallel breadth-first search (level-search.ts). The worker holds its share of the
 * current level, in the order of the levels' ranks; it expands each state (`expand`, as the sequential search
 * does) and reports, for each successor it has not sent before, the successor's fingerprint and its key — the
 * rank of its parent and its choice number, which orders successors as the sequential search meets them. The
 * coordinator answers which of them are new states of the next level, with their ranks, and which this worker
 * keeps, and which states it adopts from another worker: those become its share of the next level. The first
 * worker starts with the root.
 */
import type { Property } from '../../../properties/property.ts';
import type { Action } from '../../sim/actions.ts';
import type { RunSetup } from '../../sim/run-setup.ts';
import { Simulation } from '../../sim/simulation.ts';
import { checksOf, choicesAt, enabledLanes, expand, laneBit, SAME_INSTANT_KINDS, unmetBits, type Checks, type ExpansionVisitor } from '../exhaustive.ts';
import { FingerprintSet } from '../fingerprint-set.ts';

/**
 * Keys are parent rank × `KEY_SPAN` + choice number + 1 (0 for the parent itself): exact in a double for up to
 * 2³⁷ states in a level and 65,535 choices in a state.
 */
export const KEY_SPAN = 65_536;

/** A worker's share of the next level, as the coordinator plans it (see `LevelExpander.keep`). */
export interface LevelPlan {
  /** For each successor the worker sent, its rank in the next level if the worker holds it, else −1. */
  readonly fates: Int32Array;
  /** The ranks of the states it adopts. */
  readonly adopted: Int32Array;
  /** Their paths from the root, as choice numbers, one after another. */
  readonly paths: Uint16Array;
}

/** One level as a worker expanded its share of it. */
export interface LevelReport {
  /** The fingerprints of the successors it sent, two words each (high, low). */
  readonly fingerprints: Uint32Array;
  /** Their keys (see `KEY_SPAN`), in the same order. */
  readonly keys: Float64Array;
  /** The number of choices of each state of its share, in rank order. */
  readonly choices: Uint32Array;
  /** The first key at which each property failed, as [index among the properties, key] pairs. */
  readonly violations: readonly (readonly [number, number])[];
  /** The first key at which each `sometimes` property was reached (by this worker, ever), as [name, key]. */
  readonly reached: readonly (readonly [string, number])[];
  /** True when it stopped early, told to. */
  readonly stopped: boolean;
  /** What the liveness graph needs (see lasso.ts), when the search keeps one. */
  readonly graph: GraphPart | null;
}

/** A worker's part of the graph of one level, for the liveness check (`StateGraph`). */
export interface GraphPart {
  /** For each state it expanded, in rank order: the lanes that can act there, and its unmet properties' bits. */
  readonly marks: Int32Array;
  /** The keys of the same-instant steps it took (the edges a cycle can go round), in order. */
  readonly edgeKeys: Float64Array;
  /** Their successors' fingerprints, two words each. */
  readonly edgeTargets: Uint32Array;
  /** Their actions' lane bits. */
  readonly edgeLanes: Uint8Array;
}

/** A worker's share of a breadth-first search. */
export class LevelExpander {
  #share: Simulation[] = [];
  #ranks: number[] = [];
  #sent: Simulation[] = [];
  /** Every fingerprint this worker has sent: all of them are visited states once their level is merged. */
  readonly #known = new FingerprintSet();
  readonly #checks: Checks;

  /**
   * Starts a search of `setup` against `properties`: the first level is the root (rank 0), held by one worker;
   * with `graph`, each level's report carries its part of the liveness graph.
   */
  constructor(private readonly setup: RunSetup, private readonly properties: readonly Property[], private readonly symmetric: boolean, holdsRoot: boolean, private readonly graph: boolean) {
    const root = new Simulation(setup);
    this.#known.add(root.fingerprint(symmetric));
    if (holdsRoot) [this.#share, this.#ranks] = [[root], [0]];
    this.#checks = checksOf(properties);
  }

  /**
   * Takes the coordinator's plan for the next level as this worker's share: of the successors last sent, those
   * it keeps (`fates`: each one's rank, or −1), and the states it adopts from another worker (`adopted` ranks),
   * made again from their paths from the root (`paths`: each one's choice numbers, one path after another).
   */
  keep({ fates, adopted, paths }: LevelPlan): void {
    const kept = this.#sent.map((simulation, i) => ({ simulation, rank: fates[i] })).filter((s) => s.rank >= 0);
    const length = adopted.length === 0 ? 0 : paths.length / adopted.length;
    adopted.forEach((rank, a) => {
      const simulation = new Simulation(this.setup);
      for (const choice of paths.subarray(a * length, (a + 1) * length)) simulation.apply(choicesAt(simulation)[choice]);
      kept.push({ simulation, rank });
    });
    kept.sort((a, b) => a.rank - b.rank);
    this.#share = kept.map((s) => s.simulation);
    this.#ranks = kept.map((s) => s.rank);
    this.#sent = [];
  }

  /**
   * Expands this worker's share of the level; every 1024 states it calls `meanwhile` and looks at `stop[0]`,
   * and stops when that is set.
   */
  expandLevel(stop: Int32Array, meanwhile?: () => void): LevelReport {
    const fingerprints: number[] = [];
    const keys: number[] = [];
    const choices = new Uint32Array(this.#share.length);
    const violations = new Map<number, number>();
    const reached: [string, number][] = [];
    const marks: number[] = [];
    const edges: { keys: number[]; targets: number[]; lanes: number[] } = { keys: [], targets: [], lanes: [] };
    let parentKey = 0;
    let parent: Simulation;
    const visitor: ExpansionVisitor = {
      ...(this.graph && { expanding: (simulation: Simulation, progress: readonly Action[]) => marks.push(enabledLanes(simulation, progress), unmetBits(simulation, this.#checks.liveness)) }),
      violated: (property, choice) => {
        const index = this.properties.indexOf(property);
        if (!violations.has(index)) violations.set(index, parentKey + choice + 1);
      },
      reached: (property, choice) => reached.push([property.name, parentKey + choice + 1]),
      successor: (child, choice, action) => {
        const { high, low } = child.fingerprint(this.symmetric);
        if (this.graph && child.now === parent.now && SAME_INSTANT_KINDS.has(action.kind)) {
          edges.keys.push(parentKey + choice + 1);
          edges.targets.push(high, low);
          edges.lanes.push(laneBit(action));
        }
        if (!this.#known.addFingerprint(high, low)) return true;
        fingerprints.push(high, low);
        keys.push(parentKey + choice + 1);
        this.#sent.push(child);
        return true;
      },
    };
    let stopped = false;
    for (let i = 0; i < this.#share.length; i++) {
      if (i % 1024 === 1023) {
        meanwhile?.();
        if (Atomics.load(stop, 0) !== 0) {
          stopped = true;
          break;
        }
      }
      parentKey = this.#ranks[i] * KEY_SPAN;
      parent = this.#share[i];
      choices[i] = expand(parent, this.#checks, visitor);
      if (choices[i] >= KEY_SPAN) throw new Error(`a state with ${choices[i]} choices: more than a parallel search can number`);
    }
    this.#share = [];
    return {
      fingerprints: Uint32Array.from(fingerprints), keys: Float64Array.from(keys), choices,
      violations: [...violations], reached, stopped,
      graph: this.graph
        ? { marks: Int32Array.from(marks), edgeKeys: Float64Array.from(edges.keys), edgeTargets: Uint32Array.from(edges.targets), edgeLanes: Uint8Array.from(edges.lanes) }
        : null,
    };
  }
}
