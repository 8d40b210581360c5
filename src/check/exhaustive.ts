/**
 * Exhaustive search: breadth-first over every state a variant can reach within bounds — every interleaving,
 * every placement of the fault budget — with each visited state kept only as a 64-bit fingerprint. Breadth-first
 * order makes the first violation found a shortest one (fewest scheduler decisions), rebuilt from parent links.
 *
 * Time is continuous only in pause lengths; the search makes it finite by trying, for each pause, the lengths
 * that end it just at or just after each instant at which something happens by itself (a wake, a restart, a key
 * expiring), and the longest the budget allows: between two such instants every length gives the same order of
 * events. Clocks are the ones given (perfect unless fixed): skew as a choice is not explored here yet.
 */
import type { Action } from '../sim/actions.ts';
import type { RunSetup } from '../sim/run-setup.ts';
import { Simulation } from '../sim/simulation.ts';
import type { Property } from '../../properties/property.ts';
import { unaffected } from './execute.ts';
import { FingerprintSet } from './fingerprint-set.ts';
import { MAX_FAIR_LANES, StateGraph, TIME_LANE_BIT } from './lasso.ts';

/** Bounds of an exhaustive search. */
export interface ExhaustiveBounds {
  /** Longest schedule explored, in scheduler decisions. */
  readonly maxDepth: number;
  /** Most distinct states stored. */
  readonly maxStates: number;
  /** Asked now and then; true stops the search (a time or memory bound checked outside the core). */
  readonly shouldStop?: () => boolean;
  /** After a stop: which outside bound stopped it, by its option name. */
  readonly stoppedBy?: () => 'max-time' | 'max-memory' | null;
  /** Told now and then how many distinct states have been visited. */
  readonly onProgress?: (states: number) => void;
  /**
   * Symmetry reduction: states that differ only by which of two interchangeable processes is which count as
   * one (see `Simulation.fingerprint`). Sound when the properties treat such twins alike, as all built-in ones do.
   */
  readonly symmetry?: boolean;
}

/** How far an exhaustive search got. */
export interface ExhaustiveStats {
  /** Distinct states visited. */
  readonly states: number;
  /** Transitions taken (actions applied), duplicates included. */
  readonly transitions: number;
  /** The deepest level fully explored. */
  readonly depth: number;
  /** True when every reachable state was visited: a `none` is then a proof within the fault budget. */
  readonly exhausted: boolean;
  /** The bound that stopped the search, if one did. */
  readonly bound: 'max-depth' | 'max-states' | 'stopped' | null;
  /** With `bound` `stopped`: the outside bound that stopped it. */
  readonly stoppedBy?: 'max-time' | 'max-memory';
  /** Bytes of the visited-state table. */
  readonly tableBytes: number;
  /** Whether twins were identified (symmetry reduction). */
  readonly symmetry: boolean;
  /** The order states were searched in (see depth-first.ts). */
  readonly order: SearchOrder;
  /**
   * False when an `eventually` property could fail on a run that never ends (a lasso) and such runs were not
   * looked for: in depth-first order, or with symmetry reduction. They are then not judged, only runs that end.
   */
  readonly cyclesJudged: boolean;
  /** False when the counterexample found is not known to be a shortest one (depth-first order, its shortening cut by a bound). */
  readonly shortest: boolean;
}

/** Breadth-first (the default: shortest counterexamples, lassos) or depth-first (less memory and time for a proof). */
export type SearchOrder = 'breadth' | 'depth';

/**
 * The orders an exhaustive search can take.
 * @example SEARCH_ORDERS.includes('depth') // true
 */
export const SEARCH_ORDERS: readonly SearchOrder[] = ['breadth', 'depth'];

/** What an exhaustive search saw: how far it got, and what it found. */
export interface ExhaustiveOutcome extends ExhaustiveStats {
  /** A shortest violation of the highest-priority property broken within the bounds, or `null`. */
  readonly found: {
    readonly property: Property;
    readonly actions: readonly Action[];
    /** For a run that never ends (a fair lasso on which an `eventually` property stays unmet): where its loop begins. */
    readonly loopsFrom?: number;
  } | null;
  /** Names of the `sometimes` properties some state reached. */
  readonly reached: ReadonlySet<string>;
}

/**
 * Every action possible in `simulation`: its progress actions (given, when the caller has them already), then
 * each fault (a pause at each meaningful length).
 */
export function choicesAt(simulation: Simulation, progress: readonly Action[] = simulation.progressActions()): Action[] {
  const choices = progress.slice();
  const faults = simulation.faultCount();
  let lengths: number[] | null = null;
  for (let k = 0; k < faults; k++) {
    const fault = simulation.fault(k, simulation.maxPauseMs);
    if (fault.kind !== 'pause') {
      choices.push(fault);
      continue;
    }
    // The same lengths for every process: work them out once.
    lengths ??= pauseLengths(simulation);
    for (const ms of lengths) choices.push({ ...fault, ms });
  }
  return choices;
}

/** The pause lengths worth trying now, ascending: those ending just at or just after each timer, and the longest. */
function pauseLengths(simulation: Simulation): number[] {
  const max = simulation.maxPauseMs;
  const lengths = new Set<number>();
  for (const t of simulation.timers()) {
    lengths.add(t - simulation.now);
    lengths.add(t + 1 - simulation.now);
  }
  lengths.add(max);
  return [...lengths].filter((ms) => ms >= 1 && ms <= max).sort((a, b) => a - b);
}

/**
 * Breadth-first search of `setup` for a violation of `properties` (in priority order), within `bounds`; it
 * stops at the first violation of the first property, or when the states or bounds run out.
 */
export function exploreExhaustive(setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds): ExhaustiveOutcome {
  const checks = checksOf(properties);
  const symmetric = bounds.symmetry ?? false;
  // Runs that never end are judged on the graph of same-instant steps (see lasso.ts); under symmetry a state's
  // recorded choices may belong to a twin of the state a path reaches, so cycles are not looked for there.
  const graph = checks.liveness.length > 0 && !symmetric ? new StateGraph() : null;
  const visited = new FingerprintSet(graph !== null);
  // Parent links: state i was first reached from state parents[i] by actions[i].
  const parents: number[] = [-1];
  const actions: (Action | null)[] = [null];
  const pathTo = (index: number, last?: Action): Action[] => {
    const path: Action[] = last ? [last] : [];
    for (let i = index; i > 0; i = parents[i]) path.push(actions[i]!);
    return path.reverse();
  };
  const root = new Simulation(setup);
  if (graph) visited.indexOf(root.fingerprint(symmetric));
  else visited.add(root.fingerprint(symmetric));
  // The states of a level, in the order of their indices, which are consecutive from `first`: breadth-first
  // order numbers states level by level. An expanded state is dropped at once, so that memory holds little
  // more than one level.
  let frontier: (Simulation | null)[] = [root];
  let first = 0;
  let transitions = 0;
  let expanded = 0;
  let depth = 0;
  let bound: ExhaustiveOutcome['bound'] = null;
  let found: ExhaustiveOutcome['found'] = null;
  const rank = (p: Property) => properties.indexOf(p);
  const consider = (property: Property, path: () => Action[], loopsFrom?: number) => {
    if (!found || rank(property) < rank(found.property)) found = { property, actions: path(), ...(loopsFrom === undefined ? {} : { loopsFrom }) };
  };
  // A lesser property's violation (mutual exclusion, the cause) does not end the search: the headline (no
  // oversell, the consequence) may be a few levels deeper, and a report should lead with it.
  const headlineFound = () => found !== null && rank(found.property) === 0;
  let next: typeof frontier = [];
  let index = 0; // of the state being expanded
  let current = root;
  const visitor: ExpansionVisitor = {
    violated: (property, _, action) => consider(property, () => pathTo(index, action ?? undefined)),
    ...(graph && { expanding: (simulation, progress) => graph.markState(index, enabledLanes(simulation, progress), unmetBits(simulation, checks.liveness)) }),
    successor: (child, choice, action) => {
      transitions++;
      if (graph) {
        const before = visited.size;
        const target = visited.indexOf(child.fingerprint(symmetric));
        if (child.now === current.now && SAME_INSTANT_KINDS.has(action.kind)) graph.addEdge(index, target, laneBit(action), choice);
        if (visited.size === before) return true;
      } else if (!visited.add(child.fingerprint(symmetric))) return true;
      parents.push(index);
      actions.push(action);
      next.push(child);
      if (visited.size < bounds.maxStates) return true;
      bound = 'max-states';
      return false;
    },
  };
  while (frontier.length > 0 && !headlineFound() && bound === null) {
    if (depth >= bounds.maxDepth) {
      bound = 'max-depth';
      break;
    }
    next = [];
    const nextFirst = parents.length;
    for (let i = 0; i < frontier.length; i++) {
      if (++expanded % 1024 === 0) {
        bounds.onProgress?.(visited.size);
        if (bounds.shouldStop?.()) bound = 'stopped';
      }
      index = first + i;
      current = frontier[i]!;
      frontier[i] = null;
      expand(current, checks, visitor);
      if (bound !== null) break;
    }
    frontier = next;
    first = nextFirst;
    if (bound === null) depth++;
  }
  const lasso = graph && !headlineFound() ? graph.findLasso(checks.liveness.length) : null;
  if (lasso) {
    const stem = pathTo(lasso.entry);
    consider(checks.liveness[lasso.property], () => [...stem, ...loopActions(setup, stem, lasso.loop)], stem.length);
  }
  return {
    states: visited.size, transitions, depth, exhausted: bound === null && frontier.length === 0, bound,
    tableBytes: visited.bytes, symmetry: symmetric, order: 'breadth', cyclesJudged: graph !== null || checks.liveness.length === 0, shortest: true,
    found, reached: checks.reached,
  };
}

/** Actions that can lie on a cycle: they take no budget and, at an unchanged instant, can lead back. */
export const SAME_INSTANT_KINDS = new Set<Action['kind']>(['step', 'deliver', 'restart']);

/** The fairness lane of an action: its process's bit, or time's. */
export const laneBit = (action: Action): number => ('proc' in action ? Math.min(action.proc, MAX_FAIR_LANES - 1) : TIME_LANE_BIT);

/** The lanes that can act in `simulation`: processes with a progress action, and time when anything is pending. */
export function enabledLanes(simulation: Simulation, progress: readonly Action[]): number {
  let lanes = simulation.hasPendingTimer() ? 1 << TIME_LANE_BIT : 0;
  for (const action of progress) lanes |= 1 << laneBit(action);
  return lanes;
}

/** Bit i set when `eventually` property i is unmet in `simulation`. */
export function unmetBits(simulation: Simulation, liveness: readonly Property[]): number {
  let bits = 0;
  for (let i = 0; i < liveness.length; i++) if (!liveness[i].test(simulation)) bits |= 1 << i;
  return bits;
}

/** The actions of a lasso's loop: from the state `stem` reaches, the `loop` choices (positions in `choicesAt`). */
export function loopActions(setup: RunSetup, stem: readonly Action[], loop: readonly number[]): Action[] {
  const simulation = new Simulation(setup);
  for (const action of stem) simulation.apply(action);
  return actionsAlong(simulation, loop);
}

/**
 * Takes the choices `path` (numbers in `choicesAt` order) in `simulation`, one after the other: the actions taken.
 * @example actionsAlong(new Simulation(setup), [0, 2]) // the first choice at the root, then the third after it
 */
export function actionsAlong(simulation: Simulation, path: readonly number[]): Action[] {
  return path.map((choice) => {
    const action = choicesAt(simulation)[choice];
    simulation.apply(action);
    return action;
  });
}

/** The properties of an exhaustive search, by how it tests them, and the `sometimes` ones reached so far. */
export interface Checks {
  /** `always` properties: tested on every successor. */
  readonly invariants: readonly Property[];
  /** `eventually` properties: tested on every state where nothing can progress. */
  readonly liveness: readonly Property[];
  /** `sometimes` properties no successor satisfied yet: tested on every successor until one does (then dropped). */
  readonly watched: Property[];
  /** Names of the `sometimes` properties some successor satisfied. */
  readonly reached: Set<string>;
  /** Whether the search has expanded a state yet: the states it expands after its first were judged when met. */
  judgedExpanded: boolean;
}

/**
 * The checks of `properties`, with nothing reached yet.
 * @example expand(root, checksOf(properties), visitor)
 */
export function checksOf(properties: readonly Property[]): Checks {
  return {
    invariants: properties.filter((p) => p.kind === 'always'),
    liveness: properties.filter((p) => p.kind === 'eventually'),
    watched: properties.filter((p) => p.kind === 'sometimes'),
    reached: new Set(),
    judgedExpanded: false,
  };
}

/** What expanding a state tells its caller, in the order the search meets it. */
export interface ExpansionVisitor {
  /**
   * `property` fails at the successor by `action`, choice number `choice` among the state's choices — or, with
   * choice −1 and no action, an `eventually` property fails at the state itself, where nothing can progress.
   */
  violated(property: Property, choice: number, action: Action | null): void;
  /** A `sometimes` property holds for the first time at the successor by `choice` (it is in `reached` now). */
  reached?(property: Property, choice: number): void;
  /** The state is about to be expanded; `progress` are its progress actions. */
  expanding?(simulation: Simulation, progress: readonly Action[]): void;
  /** The successor by `action`, choice number `choice`; false ends the expansion. */
  successor(child: Simulation, choice: number, action: Action): boolean;
}

/**
 * Expands one state of a search: judges its `eventually` properties if nothing can progress, then applies each
 * of its choices (`choicesAt`) to a branch of it, tests the successor, and hands it on. Returns the number of
 * choices. The sequential search and the parallel one (src/check/parallel) both expand states here, so they
 * see the same successors, in the same order, with the same verdicts.
 * @example const choices = expand(simulation, checksOf(properties), { violated, successor: (child) => true })
 */
export function expand(simulation: Simulation, checks: Checks, visitor: ExpansionVisitor): number {
  const progress = simulation.progressActions();
  visitor.expanding?.(simulation, progress);
  const choices = choicesAt(simulation, progress);
  if (progress.length === 0) {
    for (const property of checks.liveness) if (!property.test(simulation)) visitor.violated(property, -1, null);
  }
  // A state was judged when it was met, unless it is the first this search expands (the root, or a state handed
  // over by another thread): a property that reads only keys a step left alone then judges the successor as
  // it judged the state, and is not tested again (see `unaffected`).
  const judged = checks.judgedExpanded;
  checks.judgedExpanded = true;
  for (let choice = 0; choice < choices.length; choice++) {
    const child = simulation.branch();
    child.apply(choices[choice]);
    const changes = judged && child.step !== null ? child.step.changes : null;
    for (const property of checks.invariants) if (!unaffected(property, changes) && !property.test(child)) visitor.violated(property, choice, choices[choice]);
    for (let w = 0; w < checks.watched.length; w++) {
      const property = checks.watched[w];
      if (unaffected(property, changes) || !property.test(child)) continue;
      checks.reached.add(property.name);
      visitor.reached?.(property, choice);
      // Reached: no successor tests it, or a namesake, again.
      for (let v = checks.watched.length - 1; v >= w; v--) if (checks.watched[v].name === property.name) checks.watched.splice(v, 1);
      w--;
    }
    if (!visitor.successor(child, choice, choices[choice])) break;
  }
  return choices.length;
}
