/**
 * Exhaustive search in depth-first order, as SPIN searches: memory holds the table of visited fingerprints and
 * the path being followed — no frontier, no parent links — so a proof of absence takes a fraction of the memory
 * breadth-first order needs, and of its time (states die young, which V8's collector likes). Both orders visit
 * the same states and take the same transitions when the search is complete.
 *
 * What depth-first order gives up: the first violation it meets is not a shortest one, so it is shortened by a
 * breadth-first search down to that depth (`shortenedOutcome`); a search cut by `--max-depth` is not a proof
 * (a state first met deep is searched less far than it would be from a shallower path); and runs that never
 * end — lassos, which breadth-first order finds on the graph it keeps — are not looked for: `eventually`
 * properties are judged where runs end, and the outcome says so (`cyclesJudged`).
 */
import type { Property } from '../../properties/property.ts';
import type { RunSetup } from '../sim/run-setup.ts';
import { Simulation } from '../sim/simulation.ts';
import { actionsAlong, checksOf, expand, exploreExhaustive, type Checks, type ExhaustiveBounds, type ExhaustiveOutcome, type ExpansionVisitor } from './exhaustive.ts';
import { FingerprintSet } from './fingerprint-set.ts';

/** A state on the depth-first stack: its run until it is expanded, and the way it was reached. */
interface Entry {
  simulation: Simulation | null;
  /** Decisions from the root. */
  readonly depth: number;
  /** The state it was reached from, or `null` for the state a walk starts at. */
  readonly parent: Entry | null;
  /** Its number among the parent's choices; for a walk's first state, the whole path to it. */
  readonly via: number | readonly number[];
}

/** The visited states as a walker sees them: its own table, or one it shares with other threads. */
export interface VisitedStates {
  /** Adds a fingerprint given as its two words; true if it was new. */
  addFingerprint(high: number, low: number): boolean;
  /** Stored fingerprints. */
  readonly size: number;
}

/** The best violation a walk met: the highest-ranked property, at the least depth met for it. */
export interface DepthFirstFinding {
  /** The property's rank: its index among the search's properties. */
  readonly rank: number;
  /** The choices from the root to the violating state (numbers in `choicesAt` order). */
  readonly path: readonly number[];
}

/** Asked by a walker every few hundred states: whether to stop, and what to do with spare states. */
export interface WalkControl {
  /** True stops the walk (a bound, or another thread found the headline). */
  shouldStop(): boolean;
  /** Takes the path to a state from the bottom of a deep stack, for another thread; false when none is wanted. */
  give?(path: () => readonly number[]): boolean;
}

/** How often a walker asks its control, in states expanded. */
const POLL_EVERY = 256;

/**
 * One thread's depth-first search below the states it is given, against a table of visited states it may share.
 * @example const walker = new DepthFirstWalker(setup, properties, new FingerprintSet(), false, 40); walker.walk([], control)
 */
export class DepthFirstWalker {
  /** Transitions taken. */
  transitions = 0;
  /** The longest schedule it followed, in decisions. */
  deepest = 0;
  /** True when a state was left unexpanded at `maxDepth`. */
  cut = false;
  /** True when `maxStates` was reached. */
  full = false;
  /** Its best violation so far. */
  found: DepthFirstFinding | null = null;
  readonly checks: Checks;
  #current: Entry | null = null;
  readonly #visitor: ExpansionVisitor;
  readonly #stack: Entry[] = [];

  constructor(
    private readonly setup: RunSetup,
    private readonly properties: readonly Property[],
    private readonly visited: VisitedStates,
    private readonly symmetric: boolean,
    private readonly maxDepth: number,
    private readonly maxStates = Number.POSITIVE_INFINITY,
  ) {
    this.checks = checksOf(properties);
    this.#visitor = {
      violated: (property, choice) => this.#violated(this.properties.indexOf(property), choice),
      successor: (child, choice) => {
        this.transitions++;
        const fingerprint = child.fingerprint(this.symmetric);
        if (!this.visited.addFingerprint(fingerprint.high, fingerprint.low)) return true;
        const depth = this.#current!.depth + 1;
        if (depth > this.deepest) this.deepest = depth;
        this.#stack.push({ simulation: child, depth, parent: this.#current, via: choice });
        if (this.visited.size < this.maxStates) return true;
        this.full = true;
        return false;
      },
    };
  }

  /** True once the headline (the first property) is violated: nothing can outrank it. */
  get headlineFound(): boolean {
    return this.found?.rank === 0;
  }

  /**
   * Searches below the state that `path` reaches from the root (already in the visited table), until every
   * state below is visited, or the headline is violated, or a bound or `control` stops it; false when stopped.
   * @example walker.walk([], { shouldStop: () => false })
   */
  walk(path: readonly number[], control: WalkControl, start = stateAlong(this.setup, path)): boolean {
    const stack = this.#stack;
    stack.push({ simulation: start, depth: path.length, parent: null, via: path });
    let expanded = 0;
    while (stack.length > 0) {
      if (++expanded % POLL_EVERY === 0) {
        if (control.shouldStop()) return this.#abandon();
        // The bottom of the stack is the shallowest state left: most is below it, so it is the one to hand over.
        if (stack.length > 1 && control.give?.(() => pathOf(stack[0]))) stack.shift();
      }
      const entry = stack.pop()!;
      const simulation = entry.simulation!;
      entry.simulation = null;
      if (entry.depth >= this.maxDepth) {
        this.cut = true;
        continue;
      }
      this.#current = entry;
      const pushedFrom = stack.length;
      expand(simulation, this.checks, this.#visitor);
      // Successors were pushed in choice order: reversed, the first choice is searched first.
      for (let i = pushedFrom, j = stack.length - 1; i < j; i++, j--) [stack[i], stack[j]] = [stack[j], stack[i]];
      if (this.full || this.headlineFound) return this.#abandon();
    }
    return true;
  }

  /** Drops the rest of the stack: the walk is over. */
  #abandon(): false {
    this.#stack.length = 0;
    return false;
  }

  /** Keeps a violation at the current state's successor by `choice` (−1: at the state itself) if it is better. */
  #violated(rank: number, choice: number): void {
    const depth = this.#current!.depth + (choice >= 0 ? 1 : 0);
    if (!outranks(rank, depth, this.found)) return;
    const path = pathOf(this.#current!);
    this.found = { rank, path: choice >= 0 ? [...path, choice] : path };
  }
}

/**
 * Whether a violation of the property ranked `rank`, `length` decisions from the root, is better than `than`:
 * a higher-ranked property, or the same one nearer the root.
 * @example outranks(0, 12, { rank: 1, path: [0, 1] }) // true
 */
export function outranks(rank: number, length: number, than: DepthFirstFinding | null): boolean {
  return than === null || rank < than.rank || (rank === than.rank && length < than.path.length);
}

/** The choices from the root to `entry`. */
function pathOf(entry: Entry): number[] {
  const tail: number[] = [];
  let at = entry;
  for (; at.parent !== null; at = at.parent) tail.push(at.via as number);
  return [...(at.via as readonly number[]), ...tail.reverse()];
}

/**
 * The state that the choices `path` reach from the root of `setup`.
 * @example stateAlong(setup, [0, 2]).now
 */
export function stateAlong(setup: RunSetup, path: readonly number[]): Simulation {
  const simulation = new Simulation(setup);
  actionsAlong(simulation, path);
  return simulation;
}

/**
 * Depth-first search of `setup` for a violation of `properties` (in priority order), within `bounds`; the same
 * states and transitions as `exploreExhaustive` when complete, and, when a violation is met, the counterexample
 * that breadth-first search reports (see `shortenedOutcome`).
 * @example exploreDepthFirst(setup, properties, { maxDepth: 40, maxStates: 2_000_000 }).states
 */
export function exploreDepthFirst(setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds): ExhaustiveOutcome {
  const symmetric = bounds.symmetry ?? false;
  const visited = new FingerprintSet();
  const root = new Simulation(setup);
  const fingerprint = root.fingerprint(symmetric);
  visited.addFingerprint(fingerprint.high, fingerprint.low);
  const walker = new DepthFirstWalker(setup, properties, visited, symmetric, bounds.maxDepth, bounds.maxStates);
  let polls = 0;
  const control: WalkControl = {
    shouldStop: () => {
      // Progress and outside bounds less often than the walker polls: they read the clock and the memory.
      if (++polls % 4 !== 0) return false;
      bounds.onProgress?.(visited.size);
      return bounds.shouldStop?.() ?? false;
    },
  };
  const stopped = !walker.walk([], control, root) && !walker.full && !walker.headlineFound;
  return shortenedOutcome(setup, properties, bounds, {
    states: visited.size, transitions: walker.transitions, deepest: walker.deepest, tableBytes: visited.bytes,
    bound: boundOf(walker.full, stopped, walker.cut), found: walker.found, reached: walker.checks.reached,
  });
}

/**
 * The bound that stopped a depth-first search: `maxStates` reached, an outside bound, or states left at `maxDepth`.
 * @example boundOf(false, false, true) // 'max-depth'
 */
export function boundOf(full: boolean, stopped: boolean, cut: boolean): ExhaustiveOutcome['bound'] {
  return full ? 'max-states' : stopped ? 'stopped' : cut ? 'max-depth' : null;
}

/** What a depth-first search (on one thread or several) saw, before its violation, if any, is shortened. */
export interface DepthFirstResult {
  /** Distinct states visited. */
  readonly states: number;
  /** Transitions taken. */
  readonly transitions: number;
  /** The longest schedule followed, in decisions. */
  readonly deepest: number;
  /** Bytes of the visited-state table. */
  readonly tableBytes: number;
  /** The bound that stopped it (`null` also when the headline was found). */
  readonly bound: ExhaustiveOutcome['bound'];
  /** The best violation met. */
  readonly found: DepthFirstFinding | null;
  /** Names of the `sometimes` properties some state reached. */
  readonly reached: ReadonlySet<string>;
}

/**
 * The outcome of a depth-first search. With a violation, breadth-first search down to the depth at which it was
 * met finds the shortest violation of the highest-ranked property there: the counterexample breadth-first order
 * reports. The counts are then the depth-first search's if it went to the end (only a lesser property was broken:
 * breadth-first order too searches every state, for the headline), else — it stopped at the headline — those of
 * the breadth-first search, which stopped at it too. Should that search stop at a bound first, the depth-first
 * counterexample is returned as it was met, marked not shortest.
 * @example shortenedOutcome(setup, properties, bounds, result).found?.actions.length
 */
export function shortenedOutcome(setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds, result: DepthFirstResult): ExhaustiveOutcome {
  const { found } = result;
  const complete = result.bound === null && found?.rank !== 0;
  const outcome: ExhaustiveOutcome = {
    states: result.states, transitions: result.transitions, depth: result.deepest, exhausted: complete, bound: result.bound,
    tableBytes: result.tableBytes, symmetry: bounds.symmetry ?? false, order: 'depth',
    cyclesJudged: !properties.some((p) => p.kind === 'eventually'), shortest: true, found: null, reached: result.reached,
  };
  if (found === null) return outcome;
  // A violation at a state where nothing can progress shows when that state is expanded: one level more.
  const shortest = exploreExhaustive(setup, properties, { ...bounds, maxDepth: Math.min(bounds.maxDepth, found.path.length + 1) });
  if (shortest.found) return complete ? { ...outcome, found: shortest.found } : { ...shortest, order: 'depth' };
  return { ...outcome, shortest: false, found: { property: properties[found.rank], actions: actionsAlong(new Simulation(setup), found.path) } };
}
