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
import { Simulation, type RunSetup } from '../sim/simulation.ts';
import type { Property } from '../../properties/property.ts';
import { FingerprintSet } from './fingerprint-set.ts';

/** Bounds of an exhaustive search. */
export interface ExhaustiveBounds {
  /** Longest schedule explored, in scheduler decisions. */
  readonly maxDepth: number;
  /** Most distinct states stored. */
  readonly maxStates: number;
  /** Asked now and then; true stops the search (a time or memory bound checked outside the core). */
  readonly shouldStop?: () => boolean;
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
  /** Bytes of the visited-state table. */
  readonly tableBytes: number;
  /** Whether twins were identified (symmetry reduction). */
  readonly symmetry: boolean;
}

/** What an exhaustive search saw: how far it got, and what it found. */
export interface ExhaustiveOutcome extends ExhaustiveStats {
  /** A shortest violation of the highest-priority property broken within the bounds, or `null`. */
  readonly found: { readonly property: Property; readonly actions: readonly Action[] } | null;
  /** Names of the `sometimes` properties some state reached. */
  readonly reached: ReadonlySet<string>;
}

/**
 * Every action possible in `simulation`: its progress actions (given, when the caller has them already), then
 * each fault (a pause at each meaningful length).
 */
export function choicesAt(simulation: Simulation, progress: readonly Action[] = simulation.progressActions()): Action[] {
  const choices = [...progress];
  const faults = simulation.faultCount();
  for (let k = 0; k < faults; k++) {
    const fault = simulation.fault(k, simulation.maxPauseMs);
    if (fault.kind !== 'pause') {
      choices.push(fault);
      continue;
    }
    const lengths = new Set<number>();
    for (const t of simulation.timers()) for (const end of [t, t + 1]) lengths.add(end - simulation.now);
    lengths.add(simulation.maxPauseMs);
    for (const ms of [...lengths].sort((a, b) => a - b)) if (ms >= 1 && ms <= simulation.maxPauseMs) choices.push({ ...fault, ms });
  }
  return choices;
}

/**
 * Breadth-first search of `setup` for a violation of `properties` (in priority order), within `bounds`; it
 * stops at the first violation of the first property, or when the states or bounds run out.
 */
export function exploreExhaustive(setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds): ExhaustiveOutcome {
  const invariants = properties.filter((p) => p.kind === 'always');
  const liveness = properties.filter((p) => p.kind === 'eventually');
  const watched = properties.filter((p) => p.kind === 'sometimes');
  const reached = new Set<string>();
  const visited = new FingerprintSet();
  // Parent links: state i was first reached from state parents[i] by actions[i].
  const parents: number[] = [-1];
  const actions: (Action | null)[] = [null];
  const pathTo = (index: number, last?: Action): Action[] => {
    const path: Action[] = last ? [last] : [];
    for (let i = index; i > 0; i = parents[i]) path.push(actions[i]!);
    return path.reverse();
  };
  const root = new Simulation(setup);
  const symmetric = bounds.symmetry ?? false;
  visited.add(root.fingerprint(symmetric));
  let frontier: { simulation: Simulation; index: number }[] = [{ simulation: root, index: 0 }];
  let transitions = 0;
  let expanded = 0;
  let depth = 0;
  let bound: ExhaustiveOutcome['bound'] = null;
  let found: ExhaustiveOutcome['found'] = null;
  const rank = (p: Property) => properties.indexOf(p);
  const consider = (property: Property, path: () => Action[]) => {
    if (!found || rank(property) < rank(found.property)) found = { property, actions: path() };
  };
  // A lesser property's violation (mutual exclusion, the cause) does not end the search: the headline (no
  // oversell, the consequence) may be a few levels deeper, and a report should lead with it.
  const headlineFound = () => found !== null && rank(found.property) === 0;
  while (frontier.length > 0 && !headlineFound() && bound === null) {
    if (depth >= bounds.maxDepth) {
      bound = 'max-depth';
      break;
    }
    const next: typeof frontier = [];
    for (const { simulation, index } of frontier) {
      if (++expanded % 1024 === 0) {
        bounds.onProgress?.(visited.size);
        if (bounds.shouldStop?.()) bound = 'stopped';
      }
      const progress = simulation.progressActions();
      const choices = choicesAt(simulation, progress);
      if (progress.length === 0) {
        for (const property of liveness) if (!property.test(simulation)) consider(property, () => pathTo(index));
      }
      for (const action of choices) {
        const child = simulation.branch();
        child.apply(action);
        transitions++;
        for (const property of invariants) if (!property.test(child)) consider(property, () => pathTo(index, action));
        for (const property of watched) if (!reached.has(property.name) && property.test(child)) reached.add(property.name);
        if (!visited.add(child.fingerprint(symmetric))) continue;
        parents.push(index);
        actions.push(action);
        next.push({ simulation: child, index: parents.length - 1 });
        if (visited.size >= bounds.maxStates) {
          bound = 'max-states';
          break;
        }
      }
      if (bound !== null) break;
    }
    frontier = next;
    if (bound === null) depth++;
  }
  return {
    states: visited.size, transitions, depth, exhausted: bound === null && frontier.length === 0, bound,
    tableBytes: visited.bytes, symmetry: symmetric, found, reached,
  };
}
